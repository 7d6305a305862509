package io.wattstream.notifier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The notifier's meters on {@code /observe/metrics}: per channel, transitions delivered, retries,
 * transitions that failed for good (dead-lettered) and the delivery latency (from the transition's
 * record on {@code shelly.alerts} to the receiver's confirmation, retries included); suppressed
 * transitions per route.
 */
final class NotifierMetrics {

    private final MeterRegistry registry;

    NotifierMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void delivered(String channel, Duration latency) {
        counter("notifier.delivered", "Transitions a channel's receiver confirmed", "channel", channel).increment();
        registry.getOrCreate(Timer.builder("notifier.delivery.latency")
                .description("From the alert record to the receiver's confirmation, retries included")
                .tags(List.of(Tag.create("channel", channel)))
                .percentiles(0.5, 0.99)
                .maximumExpectedValue(Duration.ofMinutes(30))).record(latency);
    }

    void retried(String channel) {
        counter("notifier.retried", "Sends that failed and will be tried again", "channel", channel).increment();
    }

    void failed(String channel) {
        counter("notifier.failed", "Transitions given up on and dead-lettered", "channel", channel).increment();
    }

    void suppressed(String route) {
        counter("notifier.suppressed", "Transitions a route or a disabled channel did not send", "route", route).increment();
    }

    private Counter counter(String name, String description, String tag, String value) {
        return registry.getOrCreate(Counter.builder(name).description(description)
                .tags(List.of(Tag.create(tag, value == null ? "none" : value))));
    }
}
