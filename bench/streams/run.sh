#!/usr/bin/env bash
# Stream processor benchmark: preloads N realistic raw readings (default 300k, 50 devices, 3 partitions)
# on an embedded broker (127.0.0.1 only), times a plain consumer reading them (bytes only, then with
# JSON parsing), then the exactly-once topology from a fresh application id until its lag is 0, and
# finally the latency of single readings through the caught-up topology.
#   bench/streams/run.sh                 # 300000 readings, 50 devices, 3 partitions
#   bench/streams/run.sh 500000 100 6        # readings, devices, partitions
#   bench/streams/run.sh 300000 50 3 1000    # commit interval 1 s instead of 100 ms (throughput over latency)
#   BENCH_MAIN=PassThroughCeiling bench/streams/run.sh 300000 exactly_once_v2
#                                            # the framework's ceiling: a copy-only topology, same records
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

mvn -q -B -pl bench/streams -am install -DskipTests
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -q -B -pl bench/streams dependency:build-classpath -Dmdep.outputFile="$CP_FILE"
exec "$JAVA_BIN" -Xmx2g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager \
  -cp "bench/streams/target/classes:$(cat "$CP_FILE")" "io.wattstream.bench.streams.${BENCH_MAIN:-StreamsBenchmark}" "$@"
