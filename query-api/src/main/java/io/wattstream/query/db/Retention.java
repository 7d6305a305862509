package io.wattstream.query.db;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How long each level of the history is kept, as the history maintenance applies it (table
 * {@code history_level}): {@code raw}, {@code 1m}, {@code 1h}, {@code 1d}; a level without a
 * retention is kept forever.
 */
public record Retention(Map<String, Duration> keep) {

    public static final String RAW = "raw";

    public static final Retention FOREVER = new Retention(Map.of());

    public Retention {
        keep = Map.copyOf(keep);
    }

    /** The oldest time whose data is still kept at {@code now}; empty when kept forever. */
    public Optional<Instant> horizon(String level, Instant now) {
        return Optional.ofNullable(keep.get(level)).map(now::minus);
    }

    /** True when a range starting at {@code start} (null: open) is kept whole at {@code now}. */
    public boolean covers(String level, Instant start, Instant now) {
        return horizon(level, now).map(h -> start != null && !start.isBefore(h)).orElse(true);
    }

    /** "kept 400 days" or "kept forever". */
    public String describe(String level) {
        Duration d = keep.get(level);
        if (d == null) {
            return "kept forever";
        }
        return d.toSeconds() % 86_400 == 0 ? "kept " + d.toDays() + " days" : "kept " + d;
    }
}
