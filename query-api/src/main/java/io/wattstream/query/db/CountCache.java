package io.wattstream.query.db;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of settled history, kept briefly. Paging through a range re-counts the same rows on every
 * page, and over all devices that costs milliseconds per request; a range that ended well in the
 * past no longer changes (apart from a rare late or replayed reading), so its count is reused for a
 * short while. A range reaching the present is always counted exactly.
 */
public final class CountCache {

    /** Older than this, history is settled: the sink has written what the pipeline produced. */
    static final Duration SETTLED_AFTER = Duration.ofMinutes(10);
    public static final Duration TTL = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 1_000;

    private record Counted(long count, Instant expires) {
    }

    private final Clock clock;
    private final Map<Filter, Counted> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Filter, Counted> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public CountCache(Clock clock) {
        this.clock = clock;
    }

    public interface Counter {
        long count(Filter f) throws SQLException;
    }

    public long count(Filter f, Counter counter) throws SQLException {
        Instant now = clock.instant();
        if (f.end() == null || f.end().isAfter(now.minus(SETTLED_AFTER))) {
            return counter.count(f);
        }
        synchronized (entries) {
            Counted e = entries.get(f);
            if (e != null && e.expires().isAfter(now)) {
                return e.count();
            }
        }
        long n = counter.count(f);
        synchronized (entries) {
            entries.put(f, new Counted(n, now.plus(TTL)));
        }
        return n;
    }
}
