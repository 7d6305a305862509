package io.wattstream.query.live;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import java.util.List;

/**
 * The live feed's meters on {@code /observe/metrics}: how many clients, how many events, who fell
 * behind. Removed again on close: the registry is per JVM, and a later instance in the same JVM
 * (tests, a restart inside the local stack) must bind the gauge to its own hub.
 */
public final class StreamMetrics implements EventHub.Listener, AutoCloseable {

    private final MeterRegistry registry;
    private final Gauge<Integer> clients;
    private final Counter events;
    private final Counter dropped;

    public StreamMetrics(MeterRegistry registry, EventHub hub) {
        this.registry = registry;
        clients = registry.getOrCreate(Gauge.builder("query.stream.clients", hub::subscriberCount)
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

    @Override
    public void close() {
        for (Meter m : List.<Meter>of(clients, events, dropped)) {
            registry.remove(m);
        }
    }
}
