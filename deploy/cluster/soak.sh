#!/bin/sh
# Soak of the production shape (deploy/cluster/cluster.sh), not part of `mvn verify`: under a steady load
# of every webhook shape through both gateways, one fault after another, each followed by the
# exactly-once checks (every acknowledged reading stored once with its values, aggregates equal SQL over
# the stored readings, alerts neither lost nor doubled):
#   SIGKILL of the raw topic's partition leader broker; SIGKILL of a stream processor; a broker cut off
#   the network for 30 s, then healed; SIGKILL of a Connect worker; a rolling restart of every instance;
#   a query API cut off the network (the other serves, an SSE client reconnects), then healed.
#
#   deploy/cluster/soak.sh [MAVEN OPTION...]   (needs JDK 21+ and Maven; run from anywhere; e.g. -o offline)
#
# The counts of every check are printed as lines starting with "RELIABILITY".
set -eu
cd "$(dirname "$0")/../.."
mvn -B -ntp "$@" -pl reliability -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=ClusterFaultsIT -Dfailsafe.failIfNoSpecifiedTests=false -Dreliability.cluster.soak=true
grep -h '^RELIABILITY' reliability/target/failsafe-reports/io.wattstream.reliability.ClusterFaultsIT-output.txt
