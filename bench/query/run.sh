#!/usr/bin/env bash
# Query API benchmark: 1M readings loaded with COPY into embedded PostgreSQL, EXPLAIN ANALYZE of the
# SQL behind each endpoint, then wrk against latest/ and one-hour range queries (127.0.0.1 only).
# Runs about 3-4 minutes (load ~20 s, then 5 endpoints x (3 s warm-up + 2 x 10 s)).
#   bench/query/run.sh
#   BENCH_OPTS="-Dbench.rows=200000 -Dbench.seconds=5 -Dbench.connections=1,8,32" bench/query/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib.sh
source bench/lib.sh
require_wrk
run_main bench/query io.wattstream.bench.query.QueryBench 1g
