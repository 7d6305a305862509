package io.wattstream.gateway.ws;

import io.wattstream.kit.JsonErrors;
import io.wattstream.model.ReadingRules;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which devices on the outbound WebSocket the gateway asks for {@code Switch.GetStatus} itself, and
 * how often: for firmware that notifies only on change, so a steady load still gives readings.
 * Written {@code device=30s,other=1m}; {@code *} stands for every device without an entry of its own.
 * Empty: no device is polled. Immutable.
 */
public final class StatusPolls {

    private static final String EVERY_DEVICE = "*";
    /** Shorter than this would be a flood of requests, not a poll. */
    static final Duration SHORTEST = Duration.ofSeconds(1);

    private final Map<String, Duration> intervals;

    private StatusPolls(Map<String, Duration> intervals) {
        this.intervals = Map.copyOf(intervals);
    }

    public static StatusPolls none() {
        return new StatusPolls(Map.of());
    }

    /**
     * Parses {@code device=interval,...}.
     *
     * @param duration reads one interval, in the settings' duration syntax
     * @throws IllegalArgumentException naming the entry that is not of that form
     */
    public static StatusPolls parse(String spec, Function<String, Duration> duration) {
        Map<String, Duration> intervals = new LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String entry : spec.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int eq = e.lastIndexOf('=');
                String device = eq > 0 ? e.substring(0, eq).trim() : "";
                if (eq <= 0 || !(device.equals(EVERY_DEVICE) || ReadingRules.validDeviceId(device))) {
                    throw new IllegalArgumentException("status poll entry '" + JsonErrors.clip(e)
                            + "' is not device=interval (device '*' for every device), e.g. shellypro1pm-a8032ab1c2d3=30s");
                }
                Duration every;
                try {
                    every = duration.apply(e.substring(eq + 1).trim());
                } catch (RuntimeException ex) {
                    throw new IllegalArgumentException("status poll interval of '" + device + "': " + ex.getMessage(), ex);
                }
                if (every.compareTo(SHORTEST) < 0) {
                    throw new IllegalArgumentException("status poll interval of '" + device + "' must be at least 1s, got "
                            + every);
                }
                intervals.put(device, every);
            }
        }
        return new StatusPolls(intervals);
    }

    /** How often to poll {@code device}, if at all. */
    public Optional<Duration> intervalFor(String device) {
        Duration own = intervals.get(device);
        return Optional.ofNullable(own != null ? own : intervals.get(EVERY_DEVICE));
    }

    public boolean enabled() {
        return !intervals.isEmpty();
    }
}
