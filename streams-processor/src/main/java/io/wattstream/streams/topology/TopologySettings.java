package io.wattstream.streams.topology;

import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.Properties;

/**
 * The processing choices the topology depends on, read from the same {@link Properties} that
 * configure Kafka Streams (keys prefixed {@code wattstream.}), so {@link StreamsTopology#build}
 * stays a pure function of its argument.
 *
 * @param rawTopic           input topic name ({@code KAFKA_TOPIC})
 * @param defaultThresholdW  power alert threshold for devices without their own ({@code ALERT_THRESHOLD})
 * @param hysteresis         a raised power alert clears below threshold x (1 - hysteresis)
 * @param offlineAfter       silence after which a device that was reporting is offline
 * @param offlineCheckEvery  wall-clock punctuation interval of the offline check
 * @param dedupRetention     how long a {@code (device_id, timestamp)} identity is remembered
 * @param maxHeldPartials    partials kept per device while no full status is known
 * @param inMemoryStores     state stores in memory (restored from their changelogs on start) rather than
 *                           RocksDB; RocksDB flushes every store at every commit, which at a 100 ms commit
 *                           interval costs most of the throughput, while this state is small per device
 */
public record TopologySettings(
        String rawTopic,
        double defaultThresholdW,
        double hysteresis,
        Duration offlineAfter,
        Duration offlineCheckEvery,
        Duration dedupRetention,
        int maxHeldPartials,
        boolean inMemoryStores) {

    public static final String PREFIX = "wattstream.";
    public static final String RAW_TOPIC = PREFIX + "raw.topic";
    public static final String THRESHOLD_W = PREFIX + "alert.threshold.w";
    public static final String HYSTERESIS = PREFIX + "alert.hysteresis";
    public static final String OFFLINE_AFTER_MS = PREFIX + "offline.after.ms";
    public static final String OFFLINE_CHECK_MS = PREFIX + "offline.check.ms";
    public static final String DEDUP_RETENTION_MS = PREFIX + "dedup.retention.ms";
    public static final String MAX_HELD_PARTIALS = PREFIX + "max.held.partials";
    public static final String IN_MEMORY_STORES = PREFIX + "state.in.memory";

    public static final double DEFAULT_THRESHOLD_W = 3500;
    public static final double DEFAULT_HYSTERESIS = 0.05;
    public static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofMinutes(5);
    /** Long enough to catch a duplicate that could still land in an open 1-hour window (1 h + 5 min grace). */
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofHours(2);

    public TopologySettings {
        if (!(defaultThresholdW > 0)) {
            throw new IllegalArgumentException("alert threshold must be > 0 W, got " + defaultThresholdW);
        }
        if (!(hysteresis >= 0 && hysteresis < 1)) {
            throw new IllegalArgumentException("alert hysteresis must be in [0, 1), got " + hysteresis);
        }
        if (offlineAfter.isNegative() || offlineAfter.isZero()) {
            throw new IllegalArgumentException("offline-after must be positive, got " + offlineAfter);
        }
    }

    public static TopologySettings defaults() {
        return from(new Properties());
    }

    public static TopologySettings from(Properties p) {
        Duration offlineAfter = Duration.ofMillis(longOf(p, OFFLINE_AFTER_MS, DEFAULT_OFFLINE_AFTER.toMillis()));
        // Check often enough that an offline alert is at most ~10 % late, but not more than every second.
        long checkDefault = Math.max(1_000, Math.min(30_000, offlineAfter.toMillis() / 10));
        return new TopologySettings(
                p.getProperty(RAW_TOPIC, Topics.RAW.name()),
                Double.parseDouble(p.getProperty(THRESHOLD_W, Double.toString(DEFAULT_THRESHOLD_W))),
                Double.parseDouble(p.getProperty(HYSTERESIS, Double.toString(DEFAULT_HYSTERESIS))),
                offlineAfter,
                Duration.ofMillis(longOf(p, OFFLINE_CHECK_MS, checkDefault)),
                Duration.ofMillis(longOf(p, DEDUP_RETENTION_MS, DEFAULT_DEDUP_RETENTION.toMillis())),
                (int) longOf(p, MAX_HELD_PARTIALS, 1_000),
                Boolean.parseBoolean(p.getProperty(IN_MEMORY_STORES, "true")));
    }

    /** Writes these settings into Kafka Streams properties. */
    public Properties writeTo(Properties p) {
        p.setProperty(RAW_TOPIC, rawTopic);
        p.setProperty(THRESHOLD_W, Double.toString(defaultThresholdW));
        p.setProperty(HYSTERESIS, Double.toString(hysteresis));
        p.setProperty(OFFLINE_AFTER_MS, Long.toString(offlineAfter.toMillis()));
        p.setProperty(OFFLINE_CHECK_MS, Long.toString(offlineCheckEvery.toMillis()));
        p.setProperty(DEDUP_RETENTION_MS, Long.toString(dedupRetention.toMillis()));
        p.setProperty(MAX_HELD_PARTIALS, Integer.toString(maxHeldPartials));
        p.setProperty(IN_MEMORY_STORES, Boolean.toString(inMemoryStores));
        return p;
    }

    private static long longOf(Properties p, String key, long dflt) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
    }
}
