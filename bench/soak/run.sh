#!/bin/sh
# Soak: repeats the reliability fault cycle (stream processor SIGKILL, Connect worker restart,
# PostgreSQL down 10 s, Kafka down 10 s) under a steady load for N minutes, checking after every
# fault that each acknowledged reading is stored exactly once. Not part of `mvn verify`.
#
#   bench/soak/run.sh [minutes]      (default 30; needs JDK 21+, run from the repository root)
#
# The counts of every check are printed as lines starting with "RELIABILITY".
set -eu
MINUTES="${1:-30}"
cd "$(dirname "$0")/../.."
mvn -q -B -pl reliability -am install -DskipTests
mvn -B -pl reliability verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=PipelineFaultsIT -Dreliability.soak.minutes="$MINUTES"
grep -h '^RELIABILITY' reliability/target/failsafe-reports/io.wattstream.reliability.PipelineFaultsIT-output.txt
