package io.wattstream.query.db;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The aggregate window sizes the pipeline produces, finest first. Table names come from here, never from input. */
public enum Window {
    ONE_MINUTE("1m", "1-minute aggregates", "measurement_1m", Duration.ofMinutes(1), Duration.ofHours(1),
            Duration.ofDays(31), Duration.ofDays(2)),
    ONE_HOUR("1h", "1-hour aggregates", "measurement_1h", Duration.ofHours(1), Duration.ofDays(2),
            Duration.ofDays(3_700), Duration.ofDays(125)),
    ONE_DAY("1d", "daily aggregates", "measurement_1d", Duration.ofDays(1), Duration.ofDays(30),
            Duration.ofDays(36_600), Duration.ofDays(36_600));

    private final String param;
    private final String label;
    private final String table;
    private final Duration size;
    private final Duration defaultSpan;
    private final Duration maxSpan;
    private final Duration autoUpTo;

    Window(String param, String label, String table, Duration size, Duration defaultSpan, Duration maxSpan,
           Duration autoUpTo) {
        this.param = param;
        this.label = label;
        this.table = table;
        this.size = size;
        this.defaultSpan = defaultSpan;
        this.maxSpan = maxSpan;
        this.autoUpTo = autoUpTo;
    }

    public static final Set<String> PARAMS = Arrays.stream(values()).map(w -> w.param).collect(Collectors.toSet());

    public static Window of(String param) {
        return Arrays.stream(values()).filter(w -> w.param.equals(param)).findFirst().orElseThrow();
    }

    public String param() {
        return param;
    }

    /** What its rows are, for messages ("1-minute aggregates"). */
    public String label() {
        return label;
    }

    String table() {
        return table;
    }

    /**
     * The {@code measurement} flag of a reading that reached this window after it had closed. A day
     * takes the readings of its hours, so what was late for its hour is what it lacks.
     */
    String lateColumn() {
        return this == ONE_DAY ? ONE_HOUR.lateColumn() : "late_" + param;
    }

    public Duration size() {
        return size;
    }

    /** The span shown when the request gives no start. */
    public Duration defaultSpan() {
        return defaultSpan;
    }

    /** Longest span one request may ask for (about 45 000 windows per device). */
    public Duration maxSpan() {
        return maxSpan;
    }

    /**
     * Longest span this level answers when the level is left to the API: a chart gets at most about
     * 3,000 points per device (1-minute windows up to 2 days, hourly ones up to 125 days, daily beyond).
     */
    public Duration autoUpTo() {
        return autoUpTo;
    }
}
