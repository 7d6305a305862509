package io.wattstream.gateway;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.wattstream.gateway.ws.WsReason;

/** The gateway's meters, served in Prometheus format on {@code /observe/metrics}. */
public final class GatewayMetrics {

    private final Counter acceptedRequests;
    private final Counter acceptedReadings;
    private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);
    private final Timer publishLatency;
    private final AtomicInteger wsOpen = new AtomicInteger();
    private final Counter wsOpened;
    private final Counter wsFrames;
    private final Counter wsReadings;
    private final Counter wsIgnored;
    private final Map<WsReason, Counter> wsRejected = new EnumMap<>(WsReason.class);

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

        registry.getOrCreate(Gauge.builder("gateway.ws.connections", wsOpen::get)
                .description("Device connections open on the outbound WebSocket"));
        wsOpened = registry.getOrCreate(Counter.builder("gateway.ws.connections.opened")
                .description("Device connections accepted on the outbound WebSocket"));
        wsFrames = registry.getOrCreate(Counter.builder("gateway.ws.frames.accepted")
                .description("WebSocket frames whose readings Kafka acknowledged"));
        wsReadings = registry.getOrCreate(Counter.builder("gateway.ws.readings.accepted")
                .description("Readings from WebSocket frames that Kafka acknowledged"));
        wsIgnored = registry.getOrCreate(Counter.builder("gateway.ws.frames.ignored")
                .description("Well-formed WebSocket frames without a reading (NotifyEvent, a status of other components)"));
        for (WsReason reason : WsReason.values()) {
            wsRejected.put(reason, registry.getOrCreate(Counter.builder("gateway.ws.frames.rejected")
                    .description("WebSocket frames and connections turned away, by reason")
                    .tags(List.of(Tag.create("reason", reason.tag())))));
        }
    }

    public void wsOpened() {
        wsOpened.increment();
        wsOpen.incrementAndGet();
    }

    public void wsClosed() {
        wsOpen.decrementAndGet();
    }

    public void wsAccepted(int readings) {
        wsFrames.increment();
        wsReadings.increment(readings);
    }

    public void wsIgnored() {
        wsIgnored.increment();
    }

    public void wsRejected(WsReason reason) {
        wsRejected.get(reason).increment();
    }

    public long wsRejectedCount(WsReason reason) {
        return wsRejected.get(reason).count();
    }

    public int wsOpenConnections() {
        return wsOpen.get();
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
