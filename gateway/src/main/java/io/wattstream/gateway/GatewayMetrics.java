package io.wattstream.gateway;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The gateway's meters, served in Prometheus format on {@code /observe/metrics}. */
public final class GatewayMetrics {

    private final Counter acceptedRequests;
    private final Counter acceptedReadings;
    private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);
    private final Timer publishLatency;

    public GatewayMetrics(MeterRegistry registry) {
        acceptedRequests = registry.getOrCreate(Counter.builder("gateway.requests.accepted")
                .description("Webhook requests whose readings Kafka acknowledged"));
        acceptedReadings = registry.getOrCreate(Counter.builder("gateway.readings.accepted")
                .description("Readings Kafka acknowledged"));
        // Registered up front so every reason shows, with 0, before the first rejection.
        for (Reason reason : Reason.values()) {
            rejected.put(reason, registry.getOrCreate(Counter.builder("gateway.requests.rejected")
                    .description("Webhook requests turned away, by reason")
                    .tags(List.of(Tag.create("reason", reason.tag())))));
        }
        publishLatency = registry.getOrCreate(Timer.builder("gateway.publish.latency")
                .description("Time from sending a request's readings to Kafka until all were acknowledged")
                .percentiles(0.5, 0.99)
                .maximumExpectedValue(Duration.ofSeconds(30)));
    }

    public void accepted(int readings) {
        acceptedRequests.increment();
        acceptedReadings.increment(readings);
    }

    public void rejected(Reason reason) {
        rejected.get(reason).increment();
    }

    public void publishLatency(long nanos) {
        publishLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public long acceptedReadings() {
        return acceptedReadings.count();
    }

    public long rejectedCount(Reason reason) {
        return rejected.get(reason).count();
    }
}
