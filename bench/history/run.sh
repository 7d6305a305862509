#!/usr/bin/env bash
# History benchmark: readings generated with generate_series straight into the partitioned
# measurement table of an embedded PostgreSQL, 1M and then 50M rows over the same 60 daily
# partitions; p50/p99 of /api/measurements/latest/ and of a one-hour range of one device with one
# client, then with 16 (wrk) and the database's share of the CPU, printed side by side. Needs about
# 12 GB of disk and 15-25 minutes on 2 cores.
#   bench/history/run.sh
#   BENCH_OPTS="-Dbench.sizes=10000000" bench/history/run.sh
#   BENCH_OPTS="-Dbench.sizes=1000000,5000000 -Dbench.requests=2000 -Dbench.clients=32" bench/history/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib.sh
source bench/lib.sh
require_wrk
run_main bench/history io.wattstream.bench.history.HistoryBench 512m
