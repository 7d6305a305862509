package io.wattstream.streams.app;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/** UP while Kafka Streams runs or rebalances; DOWN while starting, after an error or once stopped. */
final class StreamsHealthCheck implements HealthCheck {

    private final Supplier<KafkaStreams> streams;

    StreamsHealthCheck(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "kafka-streams";
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams s = streams.get();
        KafkaStreams.State state = s == null ? null : s.state();
        boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        return HealthCheckResponse.builder().status(up)
                .detail("state", state == null ? "STARTING" : state.name()).build();
    }
}
