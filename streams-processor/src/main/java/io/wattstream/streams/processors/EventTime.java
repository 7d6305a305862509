package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import java.time.Duration;
import java.time.Instant;

/** Which time a reading happened at. */
public final class EventTime {

    /** A device clock further ahead of the gateway than this is wrong, not early. */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);

    /** The device's time when it sent one and it is not too far in the future, else the gateway's receive time. */
    public static Instant of(RawReading r) {
        if (r.deviceTime() && r.timestamp() != null && !r.timestamp().isAfter(r.receivedAt().plus(MAX_FUTURE))) {
            return r.timestamp();
        }
        return r.receivedAt();
    }

    /** The reading with its {@code timestamp} set to its event time. */
    public static RawReading apply(RawReading r) {
        Instant t = of(r);
        if (t.equals(r.timestamp())) {
            return r;
        }
        return r.toBuilder().timestamp(t).deviceTime(false).build();
    }

    private EventTime() {
    }
}
