#!/usr/bin/env bash
# Creates Wattstream's topics on the compose Kafka cluster (idempotent), then marks itself done.
# The topics, their settings and the partition default are those of io.wattstream.model.Topics.specs()
# (TopicSpec); a test keeps this script and docker-compose.yml equal to it.
set -euo pipefail
bin=/opt/kafka/bin
bootstrap=${BOOTSTRAP:-kafka:9092}
partitions=${TOPIC_PARTITIONS:-3}
replication=${TOPIC_REPLICATION:-1}
create() {
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$1" --partitions "$partitions" --replication-factor "$replication" "${@:2}"
}
create "${KAFKA_TOPIC:-shelly.readings.raw}"
create shelly.readings
create shelly.alerts
create shelly.readings.1m
create shelly.readings.1h
create shelly.dlq
create shelly.devices --config cleanup.policy=compact
touch /tmp/topics-created
echo "topics ready"
