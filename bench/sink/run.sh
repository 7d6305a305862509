#!/usr/bin/env bash
# Sink benchmark: N readings (default 200k) through Kafka Connect + the Debezium JDBC sink into
# PostgreSQL, against PostgreSQL COPY of the same rows and single-row autocommit INSERTs (the
# prototype's write pattern), all in one run on embedded parts (127.0.0.1 only, fsync on).
#   bench/sink/run.sh
#   BENCH_OPTS="-Dbench.rows=100000 -Dbench.insertRows=10000" bench/sink/run.sh
#   BENCH_OPTS="-Dbench.set.batch.size=4000 -Dbench.set.consumer.override.max.poll.records=4000" bench/sink/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib.sh
source bench/lib.sh
run_main bench/sink io.wattstream.bench.sink.SinkBench 1g
