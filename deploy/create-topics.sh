#!/usr/bin/env bash
# Creates Wattstream's topics on a Kafka cluster (idempotent), then marks itself done: the compose
# deployment's kafka-init runs it, and so does deploy/cluster/cluster.sh. The topics, their settings and
# the partition default are those of io.wattstream.model.Topics.specs() (TopicSpec); a test keeps this
# script and docker-compose.yml equal to it.
set -euo pipefail
bin=${KAFKA_BIN:-/opt/kafka/bin}
bootstrap=${BOOTSTRAP:-kafka:9092}
partitions=${TOPIC_PARTITIONS:-3}
replication=${TOPIC_REPLICATION:-1}
# create NAME [--partitions N] [--config key=value]...: N only for a topic with a count of its own
create() {
  local topic=$1 n=$partitions
  shift
  if [ "${1:-}" = --partitions ]; then n=$2; shift 2; fi
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$n" --replication-factor "$replication" "$@"
}
# The raw log is what a replay recomputes history from: a year and a day (the stream processor sets
# the raw topic's retention to its RAW_RETENTION at start).
create "${KAFKA_TOPIC:-shelly.readings.raw}" --config retention.ms=31622400000
create shelly.readings
create shelly.alerts
create shelly.readings.1m
create shelly.readings.1h
create shelly.readings.1d
create shelly.sessions
create shelly.dlq
create shelly.devices --config cleanup.policy=compact
create shelly.tariffs --config cleanup.policy=compact
create shelly.notify-channels --partitions 1 --config cleanup.policy=compact
create shelly.notify-log
create shelly.notify-dlq
create shelly.alert-acks --config cleanup.policy=compact
touch "${TOPICS_MARKER:-/tmp/topics-created}"
echo "topics ready"
