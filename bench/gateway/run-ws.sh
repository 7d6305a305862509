#!/usr/bin/env bash
# Outbound WebSocket benchmark: device connections held at once and frames/s through the gateway
# (acks=all), the JDK's WebSocket client as the devices, embedded broker, all in one JVM on 127.0.0.1.
#   bench/gateway/run-ws.sh                                            # 2000 devices, 20 s hold, 3 rounds
#   BENCH_OPTS="-Dbench.ws.connections=5000 -Dbench.ws.frames=50" bench/gateway/run-ws.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib.sh
source bench/lib.sh
run_main bench/gateway io.wattstream.bench.gateway.ShellyWsBench 1g
