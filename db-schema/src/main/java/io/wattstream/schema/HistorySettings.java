package io.wattstream.schema;

import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long each level of the history is kept and how the maintenance job runs ({@link #SETTINGS}).
 * A retention is a duration with its unit ({@code 90d}, ISO-8601 {@code P90D}) or {@code forever}; a
 * coarser level is kept at least as long as a finer one, so every period whose readings are gone
 * still has its aggregates.
 *
 * @param raw        raw readings ({@code measurement})
 * @param oneMinute  1-minute aggregates
 * @param oneHour    1-hour aggregates
 * @param oneDay     daily aggregates
 * @param ahead      partitions exist this far into the future
 * @param every      how often the maintenance job runs
 * @param lockWait   how long a partition change waits for a lock before leaving it to the next run
 */
public record HistorySettings(Optional<Duration> raw, Optional<Duration> oneMinute, Optional<Duration> oneHour,
                              Optional<Duration> oneDay, Duration ahead, Duration every, Duration lockWait) {

    public static final String FOREVER = "forever";

    private static final Setting RAW = Setting.of("RETENTION_RAW", "app.history.retention.raw", "90d",
            "how long raw readings are kept (a duration with its unit, or forever)");
    private static final Setting ONE_MINUTE = Setting.of("RETENTION_1M", "app.history.retention.1m", "400d",
            "how long 1-minute aggregates are kept");
    private static final Setting ONE_HOUR = Setting.of("RETENTION_1H", "app.history.retention.1h", FOREVER,
            "how long 1-hour aggregates are kept");
    private static final Setting ONE_DAY = Setting.of("RETENTION_1D", "app.history.retention.1d", FOREVER,
            "how long daily aggregates are kept");
    private static final Setting AHEAD = Setting.of("PARTITIONS_AHEAD", "app.history.partitions-ahead", "7d",
            "history partitions exist this far ahead");
    private static final Setting EVERY = Setting.of("MAINTENANCE_EVERY", "app.history.maintenance-every", "1h",
            "how often the history maintenance runs");

    /** The settings of whatever runs the history maintenance (the migration runner, the local stack). */
    public static final List<Setting> SETTINGS = List.of(RAW, ONE_MINUTE, ONE_HOUR, ONE_DAY, AHEAD, EVERY);

    private static final List<Setting> RETENTIONS = List.of(RAW, ONE_MINUTE, ONE_HOUR, ONE_DAY);
    private static final Duration DAY = Duration.ofDays(1);

    public HistorySettings {
        if (ahead.compareTo(DAY) < 0) {
            throw new IllegalArgumentException(AHEAD.label() + " must be at least 1d, got " + ahead);
        }
        if (every.isZero() || every.isNegative() || every.compareTo(ahead) >= 0) {
            throw new IllegalArgumentException(EVERY.label() + " must be positive and shorter than "
                    + AHEAD.label() + " (" + ahead + "), got " + every);
        }
    }

    /** Reads every setting of {@link #SETTINGS} through {@code r}. */
    public static HistorySettings from(SettingsReader r) {
        List<Optional<Duration>> keeps = RETENTIONS.stream().map(s -> retention(r, s)).toList();
        for (int i = 1; i < keeps.size(); i++) {
            Optional<Duration> coarser = keeps.get(i);
            Optional<Duration> finer = keeps.get(i - 1);
            boolean shorter = coarser.isPresent() && (finer.isEmpty() || coarser.get().compareTo(finer.get()) < 0);
            r.require(!shorter, RETENTIONS.get(i).key(), "must not be shorter than " + RETENTIONS.get(i - 1).label()
                    + " (" + finer.map(Duration::toString).orElse(FOREVER) + "): the coarser level keeps what the finer one drops",
                    coarser.map(Duration::toString).orElse(FOREVER));
        }
        return new HistorySettings(keeps.get(0), keeps.get(1), keeps.get(2), keeps.get(3),
                r.duration(AHEAD.key()), r.duration(EVERY.key()), Duration.ofSeconds(5));
    }

    /** The settings a process environment gives (tests; a service reads them with its own table). */
    public static HistorySettings fromEnv(Map<String, String> env) {
        SettingsTable table = SettingsTable.of("history", SETTINGS);
        return from(table.reader(table.fromEnvironment(env), Setting::env));
    }

    /** Raw readings 90 days, 1-minute aggregates 400 days, hourly and daily ones forever. */
    public static HistorySettings defaults() {
        return fromEnv(Map.of());
    }

    /** The retention of each level by its name in {@code history_level} ({@code raw}, {@code 1m}...). */
    public Map<String, Optional<Duration>> byLevel() {
        Map<String, Optional<Duration>> m = new LinkedHashMap<>();
        m.put("raw", raw);
        m.put("1m", oneMinute);
        m.put("1h", oneHour);
        m.put("1d", oneDay);
        return m;
    }

    private static Optional<Duration> retention(SettingsReader r, Setting s) {
        if (r.string(s.key()).equalsIgnoreCase(FOREVER)) {
            return Optional.empty();
        }
        Duration keep;
        try {
            keep = r.duration(s.key());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (or " + FOREVER + ")", e);
        }
        r.require(keep.compareTo(DAY) >= 0, s.key(), "must be at least 1d (history is partitioned by day) or " + FOREVER, keep);
        return Optional.of(keep);
    }
}
