#!/usr/bin/env bash
# Gateway benchmark: the webhook gateway (acks=all) against a trivial Helidon route that answers
# 200, same JVM, same wrk load, alternating rounds; prints req/s, p50/p99 and the ratio.
# Binds 127.0.0.1 only and runs about (2 * 5 + rounds * 2 * seconds) seconds.
#   bench/gateway/run.sh                         # 2 rounds x 10 s, 64 connections
#   BENCH_OPTS="-Dbench.rounds=3 -Dbench.seconds=15 -Dbench.connections=128" bench/gateway/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib.sh
source bench/lib.sh
require_wrk
run_main bench/gateway io.wattstream.bench.gateway.GatewayBench 1g
