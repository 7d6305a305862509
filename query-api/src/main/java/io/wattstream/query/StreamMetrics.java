package io.wattstream.query;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;

/** The live feed's meters on {@code /observe/metrics}: how many clients, how many events, who fell behind. */
final class StreamMetrics implements EventHub.Listener {

    private final Counter events;
    private final Counter dropped;

    StreamMetrics(MeterRegistry registry, EventHub hub) {
        registry.getOrCreate(Gauge.builder("query.stream.clients", hub::subscriberCount)
                .description("Clients connected to /api/stream"));
        events = registry.getOrCreate(Counter.builder("query.stream.events")
                .description("Events taken from Kafka and fanned out to /api/stream clients"));
        dropped = registry.getOrCreate(Counter.builder("query.stream.clients.dropped")
                .description("/api/stream clients disconnected because they fell too far behind"));
    }

    @Override
    public void published() {
        events.increment();
    }

    @Override
    public void droppedSlowClient() {
        dropped.increment();
    }
}
