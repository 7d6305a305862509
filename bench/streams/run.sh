#!/usr/bin/env bash
# Stream processor benchmark: preloads N realistic raw readings (default 300k, 50 devices, 3 partitions)
# on an embedded broker (127.0.0.1 only), times a plain consumer reading them (bytes only, then with
# JSON parsing), then the exactly-once topology from a fresh application id until its lag is 0, and
# finally the latency of single readings through the caught-up topology.
#   bench/streams/run.sh                 # 300000 readings, 50 devices, 3 partitions
#   bench/streams/run.sh 500000 100 6        # readings, devices, partitions
#   bench/streams/run.sh 300000 50 3 1000    # commit interval 1 s instead of 100 ms (throughput over latency)
#   BENCH_OPTS=-Dbench.sessions=compare bench/streams/run.sh 300000 50 3
#                                            # with and without charging sessions and costs, side by side
#   BENCH_MAIN=PassThroughCeiling bench/streams/run.sh 300000 exactly_once_v2
#                                            # the framework's ceiling: a copy-only topology, same records
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib.sh
source bench/lib.sh
run_main bench/streams "io.wattstream.bench.streams.${BENCH_MAIN:-StreamsBenchmark}" 2g "$@"
