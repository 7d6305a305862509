package io.wattstream.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Hands out {@code received_at} instants with microsecond precision that are strictly increasing
 * across all threads of the process. Two requests in the same microsecond get consecutive
 * microseconds, so {@code (device_id, timestamp)} stays unique even when the gateway falls back to
 * its own time for thousands of readings per second. If the wall clock steps back, the values keep
 * counting up from the last one handed out until the wall clock catches up.
 */
public final class MonotonicClock implements Supplier<Instant> {

    /** The process-wide clock: every gateway in this JVM draws from it, so values never repeat. */
    public static final MonotonicClock SYSTEM = new MonotonicClock();

    private final Clock wall;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);

    public MonotonicClock() {
        this(Clock.systemUTC());
    }

    public MonotonicClock(Clock wall) {
        this.wall = wall;
    }

    /** The next instant: the wall time in microseconds, or one microsecond after the last one. */
    public Instant next() {
        long now = micros(wall.instant());
        long next = lastMicros.updateAndGet(last -> Math.max(now, last + 1));
        return Instant.ofEpochSecond(Math.floorDiv(next, 1_000_000L),
                TimeUnit.MICROSECONDS.toNanos(Math.floorMod(next, 1_000_000L)));
    }

    @Override
    public Instant get() {
        return next();
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
