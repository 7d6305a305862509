#!/usr/bin/env bash
# The whole benchmark suite, one command: builds what it needs, then runs every part in one go
# (about 11-12 minutes on 2 cores, 127.0.0.1 only) and prints one name=value line per figure and a
# Markdown table, also written to bench/results/<date>.md (logs of each part in bench/results/raw/).
#   bench/run.sh
#   BENCH_OPTS="-Dbench.only=footprint,ingest" bench/run.sh     # some parts only
#   BENCH_OPTS="-Dbench.only=capacity" bench/run.sh              # pipeline capacity only (about 5 minutes)
#   BENCH_OPTS="-Dbench.jfr=true" bench/run.sh                    # JFR recording of the local stack
#   BENCH_SKIP_BUILD=1 bench/run.sh                               # reuse the last build
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib.sh
source bench/lib.sh
use_jdk
require_wrk

MODULES=local-stack,bench/gateway,bench/streams,bench/sink,bench/query,bench/suite
# Built in the reactor, nothing installed: the suite runs on this tree's jars, never on ~/.m2 snapshots.
CP_FILE=bench/suite/target/classpath.txt
if [ -z "${BENCH_SKIP_BUILD:-}" ] || [ ! -f "$CP_FILE" ]; then
  echo "bench: building $MODULES and what they need (mvn package -DskipTests) with JAVA_HOME=$JAVA_HOME"
  mvn -q -B -ntp -Dstyle.color=never -pl "$MODULES" -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/classpath.txt
fi

# Bounded: the suite stops itself (and the local stack it started) if a part hangs.
# shellcheck disable=SC2086
timeout --signal=TERM --kill-after=60 "${BENCH_TIMEOUT:-1200}" \
  "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager ${BENCH_OPTS:-} \
  -cp "bench/suite/target/classes:$(cat "$CP_FILE")" io.wattstream.bench.suite.BenchSuite
