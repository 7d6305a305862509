package io.wattstream.query.db;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The aggregate window sizes the pipeline produces. Table names come from here, never from input. */
public enum Window {
    ONE_MINUTE("1m", "measurement_1m", Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(31)),
    ONE_HOUR("1h", "measurement_1h", Duration.ofHours(1), Duration.ofDays(2), Duration.ofDays(3_700));

    private final String param;
    private final String table;
    private final Duration size;
    private final Duration defaultSpan;
    private final Duration maxSpan;

    Window(String param, String table, Duration size, Duration defaultSpan, Duration maxSpan) {
        this.param = param;
        this.table = table;
        this.size = size;
        this.defaultSpan = defaultSpan;
        this.maxSpan = maxSpan;
    }

    public static final Set<String> PARAMS = Arrays.stream(values()).map(w -> w.param).collect(Collectors.toSet());

    public static Window of(String param) {
        return Arrays.stream(values()).filter(w -> w.param.equals(param)).findFirst().orElseThrow();
    }

    public String param() {
        return param;
    }

    String table() {
        return table;
    }

    /** The {@code measurement} flag of a reading that reached this window after it had closed. */
    String lateColumn() {
        return "late_" + param;
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
}
