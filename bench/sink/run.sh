#!/usr/bin/env bash
# Sink benchmark: N readings (default 200k) through Kafka Connect + the Debezium JDBC sink into
# PostgreSQL, against PostgreSQL COPY of the same rows and single-row autocommit INSERTs (the
# prototype's write pattern), all in one run on embedded parts (127.0.0.1 only, fsync on).
#   bench/sink/run.sh
#   BENCH_OPTS="-Dbench.rows=100000 -Dbench.insertRows=10000" bench/sink/run.sh
#   BENCH_OPTS="-Dbench.set.batch.size=4000 -Dbench.set.consumer.override.max.poll.records=4000" bench/sink/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$JAVA_BIN" >/dev/null || [ "$(java_major "$JAVA_BIN")" -lt 21 ]; then
  for jdk in /usr/lib/jvm/*; do
    if [ -x "$jdk/bin/java" ] && [ "$(java_major "$jdk/bin/java")" -ge 21 ]; then
      export JAVA_HOME="$jdk"; JAVA_BIN="$jdk/bin/java"; break
    fi
  done
fi

mvn -q -B -pl bench/sink -am install -DskipTests
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -q -B -pl bench/sink dependency:build-classpath -Dmdep.outputFile="$CP_FILE"
# shellcheck disable=SC2086
exec "$JAVA_BIN" -Xmx1g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager ${BENCH_OPTS:-} \
  -cp "bench/sink/target/classes:$(cat "$CP_FILE")" io.wattstream.bench.sink.SinkBench
