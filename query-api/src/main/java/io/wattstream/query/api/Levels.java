package io.wattstream.query.api;

import io.wattstream.query.db.Retention;
import io.wattstream.query.db.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which level of the history answers a range, and the answer when the asked level no longer holds
 * it: 410 naming the levels that still do, never an empty result that reads as "no data".
 */
final class Levels {

    /** The {@code window} value that leaves the choice to the API (also its default). */
    static final String AUTO = "auto";

    private Levels() {
    }

    /**
     * The finest window for the span whose retention keeps the whole range; when none does, the
     * coarsest, which {@link #require} and the span limit then refuse with their reasons.
     */
    static Window choose(Instant start, Instant end, Instant now, Retention retention) {
        Duration span = Duration.between(start, end);
        Window[] all = Window.values();
        for (Window w : all) {
            if (span.compareTo(w.autoUpTo()) <= 0 && retention.covers(w.param(), start, now)) {
                return w;
            }
        }
        return all[all.length - 1];
    }

    /** The asked window, when its retention keeps the whole range. */
    static Window require(Window w, Instant start, Instant now, Retention retention) {
        if (!retention.covers(w.param(), start, now)) {
            Instant horizon = retention.horizon(w.param(), now).orElseThrow();
            throw ApiException.gone(w.label() + " are " + retention.describe(w.param()) + ": the oldest that can be asked for is "
                    + horizon + " (parameter 'start' is " + start + "); " + stillKept(start, now, retention)
                    + ", or leave out 'window' to have the level chosen");
        }
        return w;
    }

    /** Raw readings: a range reaching past their retention (an open start is what is kept) is gone. */
    static void requireRaw(Instant start, Instant end, Instant now, Retention retention) {
        retention.horizon(Retention.RAW, now).ifPresent(horizon -> {
            Instant from = start != null ? start : end;
            if (from != null && from.isBefore(horizon)) {
                throw ApiException.gone("raw readings are " + retention.describe(Retention.RAW)
                        + ": the oldest that can be asked for is " + horizon + " (parameter '" + (start != null ? "start" : "end")
                        + "' is " + from + "); for older periods use /api/aggregates/: " + stillKept(from, now, retention));
            }
        });
    }

    /** "window=1h (kept forever) and window=1d (kept forever) still hold it". */
    private static String stillKept(Instant start, Instant now, Retention retention) {
        List<String> kept = new ArrayList<>();
        for (Window w : Window.values()) {
            if (retention.covers(w.param(), start, now)) {
                kept.add("window=" + w.param() + " (" + w.label() + ", " + retention.describe(w.param()) + ")");
            }
        }
        return kept.isEmpty() ? "no level keeps it any more (" + retentions(retention) + ")"
                : String.join(" and ", kept) + (kept.size() == 1 ? " still holds it" : " still hold it");
    }

    private static String retentions(Retention retention) {
        List<String> all = new ArrayList<>();
        all.add("raw readings " + retention.describe(Retention.RAW));
        for (Window w : Window.values()) {
            all.add(w.label() + " " + retention.describe(w.param()));
        }
        return String.join(", ", all);
    }
}
