#!/usr/bin/env bash
# The whole benchmark suite, one command: builds what it needs, then runs every part in one go
# (about 4-5 minutes on 2 cores, 127.0.0.1 only) and prints one name=value line per figure and a
# Markdown table, also written to bench/results/<date>.md (logs of each part in bench/results/raw/).
#   bench/run.sh
#   BENCH_OPTS="-Dbench.only=footprint,ingest" bench/run.sh     # some parts only
#   BENCH_OPTS="-Dbench.jfr=true" bench/run.sh                    # JFR recording of the local stack
#   BENCH_SKIP_BUILD=1 bench/run.sh                               # reuse the last build
set -euo pipefail
cd "$(dirname "$0")/.."

# A JDK 21+ (Helidon 4): JAVA_HOME if it is one, else the default java, else the newest in /usr/lib/jvm.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then return 0; fi
  if command -v java >/dev/null && [ "$(java_major java)" -ge 21 ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); export JAVA_HOME; return 0
  fi
  for dir in $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    if [ -x "$dir/bin/javac" ] && [ "$(java_major "$dir/bin/java")" -ge 21 ]; then export JAVA_HOME="$dir"; return 0; fi
  done
  return 1
}
select_jdk || { echo "bench: no JDK 21+ found; install one and set JAVA_HOME" >&2; exit 1; }
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries call sun.misc.Unsafe; JDK 24+ warns about it on every run.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi

# wrk drives the HTTP throughput parts (ingest, queries).
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "bench: wrk is needed (Debian/Ubuntu: apt-get install wrk)" >&2
    exit 1
  fi
fi

MODULES=local-stack,bench/gateway,bench/streams,bench/sink,bench/query,bench/suite
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "bench: building $MODULES and what they need (mvn install -DskipTests) with JAVA_HOME=$JAVA_HOME"
  mvn -q -B -ntp -Dstyle.color=never -pl "$MODULES" -am install -DskipTests
fi
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
mvn -q -B -ntp -Dstyle.color=never -pl bench/suite dependency:build-classpath -Dmdep.outputFile="$CP_FILE"

# Bounded: the suite stops itself (and the local stack it started) if a part hangs.
# shellcheck disable=SC2086
timeout --signal=TERM --kill-after=60 "${BENCH_TIMEOUT:-900}" \
  "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager ${BENCH_OPTS:-} \
  -cp "bench/suite/target/classes:$(cat "$CP_FILE")" io.wattstream.bench.suite.BenchSuite
