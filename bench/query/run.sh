#!/usr/bin/env bash
# Query API benchmark: 1M readings loaded with COPY into embedded PostgreSQL, EXPLAIN ANALYZE of the
# SQL behind each endpoint, then wrk against latest/ and one-hour range queries (127.0.0.1 only).
# Runs about 3-4 minutes (load ~20 s, then 5 endpoints x (3 s warm-up + 2 x 10 s)).
#   bench/query/run.sh
#   BENCH_OPTS="-Dbench.rows=200000 -Dbench.seconds=5 -Dbench.connections=1,8,32" bench/query/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "wrk is needed (Debian/Ubuntu: apt-get install wrk)" >&2
    exit 1
  fi
fi

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
JAVA_BIN="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$JAVA_BIN" >/dev/null || [ "$(java_major "$JAVA_BIN")" -lt 21 ]; then
  for jdk in /usr/lib/jvm/*; do
    if [ -x "$jdk/bin/java" ] && [ "$(java_major "$jdk/bin/java")" -ge 21 ]; then
      export JAVA_HOME="$jdk"; JAVA_BIN="$jdk/bin/java"; break
    fi
  done
fi

mvn -q -B -pl bench/query -am install -DskipTests
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -q -B -pl bench/query dependency:build-classpath -Dmdep.outputFile="$CP_FILE"
# shellcheck disable=SC2086
exec "$JAVA_BIN" -Xmx1g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager ${BENCH_OPTS:-} \
  -cp "bench/query/target/classes:$(cat "$CP_FILE")" io.wattstream.bench.query.QueryBench
