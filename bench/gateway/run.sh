#!/usr/bin/env bash
# Gateway benchmark: the webhook gateway (acks=all) against a trivial Helidon route that answers
# 200, same JVM, same wrk load, alternating rounds; prints req/s, p50/p99 and the ratio.
# Binds 127.0.0.1 only and runs about (2 * 5 + rounds * 2 * seconds) seconds.
#   bench/gateway/run.sh                         # 2 rounds x 10 s, 64 connections
#   BENCH_OPTS="-Dbench.rounds=3 -Dbench.seconds=15 -Dbench.connections=128" bench/gateway/run.sh
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

mvn -q -B -pl bench/gateway -am install -DskipTests
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -q -B -pl bench/gateway dependency:build-classpath -Dmdep.outputFile="$CP_FILE"
# shellcheck disable=SC2086
exec "$JAVA_BIN" -Xmx1g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager ${BENCH_OPTS:-} \
  -cp "bench/gateway/target/classes:$(cat "$CP_FILE")" io.wattstream.bench.gateway.GatewayBench
