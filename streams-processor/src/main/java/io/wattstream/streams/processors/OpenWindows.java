package io.wattstream.streams.processors;

import java.time.Instant;
import java.util.List;

/**
 * One meter's windows of one size (value of the 1-minute and 1-hour window stores): those still open
 * and, for {@code /state}, the newest closed one until a newer one opens or its retention has passed.
 */
public record OpenWindows(List<Window> windows) {

    public OpenWindows {
        windows = List.copyOf(windows);
    }

    /**
     * @param start  of the window (event time)
     * @param closed published; kept for {@code /state} only
     * @param parts  its sums by local day (one part in an hour)
     */
    public record Window(Instant start, boolean closed, List<DayPart> parts) {

        public Window {
            parts = List.copyOf(parts);
        }

        public WindowAggregate sums() {
            return DayPart.total(parts);
        }
    }
}
