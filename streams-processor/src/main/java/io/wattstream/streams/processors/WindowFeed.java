package io.wattstream.streams.processors;

import java.time.Instant;
import java.util.List;

/**
 * What the 1-minute windows hand to the hours and days (internal to the topology): each closed minute,
 * each reading too late for its minute but on time for its hour, and the task's watermark as it passes
 * whole minutes (the times at which an hour or a day can close). The hours and days are so built from
 * the closed minutes, with the same late-data rules as if they had seen every reading.
 *
 * @see MinuteWindows
 */
public sealed interface WindowFeed {

    /** The task's watermark when this was sent. */
    long watermark();

    /** A closed minute: its sums, split by the local day (and its zone) of its readings. */
    record ClosedMinute(Instant start, List<DayPart> parts, long watermark) implements WindowFeed {
    }

    /** A reading late for its minute, on time for its hour. */
    record LateReading(Measured measured, long watermark) implements WindowFeed {
    }

    /**
     * The watermark passed a whole minute, the times at which hours and days close; sent after the minutes
     * that closed at this watermark, so an hour or a day closing now has them all.
     */
    record Tick(long watermark) implements WindowFeed {
    }
}
