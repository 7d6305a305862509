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
 * @param energy             the energy counter and reconciliation rules
 * @param temperatureLimitC  a device temperature above this raises OVER_TEMPERATURE
 * @param sessions           charging sessions, tariffs and costs
 */
public record TopologySettings(
        String rawTopic,
        double defaultThresholdW,
        double hysteresis,
        Duration offlineAfter,
        Duration offlineCheckEvery,
        Duration dedupRetention,
        int maxHeldPartials,
        boolean inMemoryStores,
        EnergyRules energy,
        double temperatureLimitC,
        SessionRules sessions) {

    /**
     * How charging sessions are found and priced (see docs/streams-processor.md, "Charging sessions").
     *
     * @param enabled         sessions, tariff prices and costs on (off only to measure what they cost)
     * @param startW          a session opens when power stays above this ...
     * @param startAfter      ... for this long
     * @param standbyW        it closes when power stays at or below this ...
     * @param endAfter        ... for this long; a shorter pause is part of the session
     * @param updateEvery     an open session is published (UPDATED) at most this often, by event time
     * @param defaultTimeZone the local day of a meter whose reading no tariff prices
     */
    public record SessionRules(boolean enabled, double startW, Duration startAfter, double standbyW, Duration endAfter,
                               Duration updateEvery, java.time.ZoneId defaultTimeZone) {

        public SessionRules {
            if (!(startW > 0) || !(standbyW >= 0) || standbyW > startW) {
                throw new IllegalArgumentException("session levels must be start > 0 W and 0 <= standby <= start, got start "
                        + startW + " W, standby " + standbyW + " W");
            }
            if (startAfter.isNegative() || !endAfter.isPositive() || !updateEvery.isPositive()) {
                throw new IllegalArgumentException("session times must be start-after >= 0, end-after > 0 and "
                        + "update-every > 0, got " + startAfter + ", " + endAfter + ", " + updateEvery);
            }
        }

        /** The levels and times of one meter: its registry entry's where it has them, else these. */
        public SessionRules forDevice(io.wattstream.model.Device d) {
            if (d == null || (d.sessionStartW() == null && d.sessionStartAfterS() == null && d.sessionStandbyW() == null
                    && d.sessionEndAfterS() == null)) {
                return this;
            }
            double start = d.sessionStartW() != null && d.sessionStartW() > 0 ? d.sessionStartW() : startW;
            double standby = d.sessionStandbyW() != null && d.sessionStandbyW() >= 0 ? d.sessionStandbyW() : standbyW;
            Duration after = d.sessionStartAfterS() != null && d.sessionStartAfterS() >= 0
                    ? Duration.ofMillis(Math.round(d.sessionStartAfterS() * 1000)) : startAfter;
            Duration end = d.sessionEndAfterS() != null && d.sessionEndAfterS() > 0
                    ? Duration.ofMillis(Math.round(d.sessionEndAfterS() * 1000)) : endAfter;
            return new SessionRules(enabled, start, after, Math.min(standby, start), end, updateEvery, defaultTimeZone);
        }
    }

    /**
     * How the energy counters are read (see the README, "Energy figures").
     *
     * @param dipToleranceWh     a counter decrease up to the larger of this ...
     * @param dipToleranceShare  ... and this share of the counter is rounding noise, not a reset
     * @param defaultMaxPowerW   the most power a meter can carry unless its registry entry says otherwise;
     *                           a counter rising faster is an impossible jump
     * @param reconcileShare     a window whose counter energy and power-integrated energy differ by more than
     *                           this share (and by more than the dip tolerance) is flagged
     */
    public record EnergyRules(double dipToleranceWh, double dipToleranceShare, double defaultMaxPowerW,
                              double reconcileShare) {

        public EnergyRules {
            if (!(dipToleranceWh >= 0) || !(dipToleranceShare >= 0 && dipToleranceShare < 1)) {
                throw new IllegalArgumentException("energy dip tolerance must be >= 0 Wh and a share in [0, 1), got "
                        + dipToleranceWh + " Wh, " + dipToleranceShare);
            }
            if (!(defaultMaxPowerW > 0)) {
                throw new IllegalArgumentException("default max power must be > 0 W, got " + defaultMaxPowerW);
            }
            if (!(reconcileShare > 0)) {
                throw new IllegalArgumentException("energy reconcile share must be > 0, got " + reconcileShare);
            }
        }

        /** The decrease that still counts as noise for a counter at {@code counterWh}. */
        public double dipTolerance(double counterWh) {
            return Math.max(dipToleranceWh, Math.abs(counterWh) * dipToleranceShare);
        }
    }

    public static final String PREFIX = "wattstream.";
    public static final String RAW_TOPIC = PREFIX + "raw.topic";
    public static final String THRESHOLD_W = PREFIX + "alert.threshold.w";
    public static final String HYSTERESIS = PREFIX + "alert.hysteresis";
    public static final String OFFLINE_AFTER_MS = PREFIX + "offline.after.ms";
    public static final String OFFLINE_CHECK_MS = PREFIX + "offline.check.ms";
    public static final String DEDUP_RETENTION_MS = PREFIX + "dedup.retention.ms";
    public static final String MAX_HELD_PARTIALS = PREFIX + "max.held.partials";
    public static final String IN_MEMORY_STORES = PREFIX + "state.in.memory";
    public static final String DIP_TOLERANCE_WH = PREFIX + "energy.dip.tolerance.wh";
    public static final String DIP_TOLERANCE_SHARE = PREFIX + "energy.dip.tolerance.share";
    public static final String MAX_POWER_W = PREFIX + "energy.max.power.w";
    public static final String RECONCILE_SHARE = PREFIX + "energy.reconcile.share";
    public static final String TEMPERATURE_LIMIT_C = PREFIX + "alert.temperature.limit.c";
    public static final String SESSIONS_ENABLED = PREFIX + "sessions.enabled";
    public static final String SESSION_START_W = PREFIX + "session.start.w";
    public static final String SESSION_START_AFTER_MS = PREFIX + "session.start.after.ms";
    public static final String SESSION_STANDBY_W = PREFIX + "session.standby.w";
    public static final String SESSION_END_AFTER_MS = PREFIX + "session.end.after.ms";
    public static final String SESSION_UPDATE_EVERY_MS = PREFIX + "session.update.every.ms";
    public static final String DEFAULT_TIME_ZONE = PREFIX + "default.time.zone";

    public static final double DEFAULT_THRESHOLD_W = 3500;
    public static final double DEFAULT_HYSTERESIS = 0.05;
    public static final Duration DEFAULT_OFFLINE_AFTER = Duration.ofMinutes(5);
    /** Long enough to catch a duplicate that could still land in an open 1-hour window (1 h + 5 min grace). */
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofHours(2);
    public static final double DEFAULT_DIP_TOLERANCE_WH = 1;
    /** 0.01 % of the counter: 15 Wh on a 150 kWh counter. */
    public static final double DEFAULT_DIP_TOLERANCE_SHARE = 0.0001;
    /** A 22 kW three-phase wallbox with headroom. */
    public static final double DEFAULT_MAX_POWER_W = 25_000;
    public static final double DEFAULT_RECONCILE_SHARE = 0.1;
    /** Shelly Pro devices switch off from overheating in the 90s C; warn before that. */
    public static final double DEFAULT_TEMPERATURE_LIMIT_C = 80;
    public static final int DEFAULT_MAX_HELD_PARTIALS = 1_000;
    /** Above what a charger in standby or a parked car's electronics draw. */
    public static final double DEFAULT_SESSION_START_W = 100;
    public static final Duration DEFAULT_SESSION_START_AFTER = Duration.ofMinutes(1);
    public static final double DEFAULT_SESSION_STANDBY_W = 50;
    /** Cars pause while balancing or pre-conditioning: a shorter pause is part of the session. */
    public static final Duration DEFAULT_SESSION_END_AFTER = Duration.ofMinutes(10);
    public static final Duration DEFAULT_SESSION_UPDATE_EVERY = Duration.ofSeconds(30);

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

    /** The configurable choices; the others (offline check, held partials, store type) take their defaults. */
    public static TopologySettings of(String rawTopic, double defaultThresholdW, double hysteresis, Duration offlineAfter,
                                      Duration dedupRetention, EnergyRules energy, double temperatureLimitC,
                                      SessionRules sessions) {
        return new TopologySettings(rawTopic, defaultThresholdW, hysteresis, offlineAfter, offlineCheckFor(offlineAfter),
                dedupRetention, DEFAULT_MAX_HELD_PARTIALS, true, energy, temperatureLimitC, sessions);
    }

    /** Reads the {@code wattstream.*} keys of Kafka Streams properties; each absent one takes its default. */
    public static TopologySettings from(Properties p) {
        Duration offlineAfter = Duration.ofMillis(longOf(p, OFFLINE_AFTER_MS, DEFAULT_OFFLINE_AFTER.toMillis()));
        return new TopologySettings(
                p.getProperty(RAW_TOPIC, Topics.RAW.name()),
                Double.parseDouble(p.getProperty(THRESHOLD_W, Double.toString(DEFAULT_THRESHOLD_W))),
                Double.parseDouble(p.getProperty(HYSTERESIS, Double.toString(DEFAULT_HYSTERESIS))),
                offlineAfter,
                Duration.ofMillis(longOf(p, OFFLINE_CHECK_MS, offlineCheckFor(offlineAfter).toMillis())),
                Duration.ofMillis(longOf(p, DEDUP_RETENTION_MS, DEFAULT_DEDUP_RETENTION.toMillis())),
                (int) longOf(p, MAX_HELD_PARTIALS, DEFAULT_MAX_HELD_PARTIALS),
                Boolean.parseBoolean(p.getProperty(IN_MEMORY_STORES, "true")),
                new EnergyRules(doubleOf(p, DIP_TOLERANCE_WH, DEFAULT_DIP_TOLERANCE_WH),
                        doubleOf(p, DIP_TOLERANCE_SHARE, DEFAULT_DIP_TOLERANCE_SHARE),
                        doubleOf(p, MAX_POWER_W, DEFAULT_MAX_POWER_W),
                        doubleOf(p, RECONCILE_SHARE, DEFAULT_RECONCILE_SHARE)),
                doubleOf(p, TEMPERATURE_LIMIT_C, DEFAULT_TEMPERATURE_LIMIT_C),
                new SessionRules(Boolean.parseBoolean(p.getProperty(SESSIONS_ENABLED, "true")),
                        doubleOf(p, SESSION_START_W, DEFAULT_SESSION_START_W),
                        Duration.ofMillis(longOf(p, SESSION_START_AFTER_MS, DEFAULT_SESSION_START_AFTER.toMillis())),
                        doubleOf(p, SESSION_STANDBY_W, DEFAULT_SESSION_STANDBY_W),
                        Duration.ofMillis(longOf(p, SESSION_END_AFTER_MS, DEFAULT_SESSION_END_AFTER.toMillis())),
                        Duration.ofMillis(longOf(p, SESSION_UPDATE_EVERY_MS, DEFAULT_SESSION_UPDATE_EVERY.toMillis())),
                        io.wattstream.model.TariffRules.zoneId(p.getProperty(DEFAULT_TIME_ZONE, "UTC").trim())));
    }

    /** Often enough that an offline alert is at most ~10 % late, but not more than every second. */
    private static Duration offlineCheckFor(Duration offlineAfter) {
        return Duration.ofMillis(Math.max(1_000, Math.min(30_000, offlineAfter.toMillis() / 10)));
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
        p.setProperty(DIP_TOLERANCE_WH, Double.toString(energy.dipToleranceWh()));
        p.setProperty(DIP_TOLERANCE_SHARE, Double.toString(energy.dipToleranceShare()));
        p.setProperty(MAX_POWER_W, Double.toString(energy.defaultMaxPowerW()));
        p.setProperty(RECONCILE_SHARE, Double.toString(energy.reconcileShare()));
        p.setProperty(TEMPERATURE_LIMIT_C, Double.toString(temperatureLimitC));
        p.setProperty(SESSIONS_ENABLED, Boolean.toString(sessions.enabled()));
        p.setProperty(SESSION_START_W, Double.toString(sessions.startW()));
        p.setProperty(SESSION_START_AFTER_MS, Long.toString(sessions.startAfter().toMillis()));
        p.setProperty(SESSION_STANDBY_W, Double.toString(sessions.standbyW()));
        p.setProperty(SESSION_END_AFTER_MS, Long.toString(sessions.endAfter().toMillis()));
        p.setProperty(SESSION_UPDATE_EVERY_MS, Long.toString(sessions.updateEvery().toMillis()));
        p.setProperty(DEFAULT_TIME_ZONE, sessions.defaultTimeZone().getId());
        return p;
    }

    private static double doubleOf(Properties p, String key, double dflt) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? dflt : Double.parseDouble(v.trim());
    }

    private static long longOf(Properties p, String key, long dflt) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
    }
}
