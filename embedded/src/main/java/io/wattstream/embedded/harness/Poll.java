package io.wattstream.embedded.harness;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until a deadline: the one way the tests, benchmarks and local stack wait for anything. */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    /** The condition did not hold in time; a runtime exception, so callers' clean-up on failure runs. */
    public static final class TimedOut extends IllegalStateException {
        TimedOut(String message) {
            super(message);
        }
    }

    /** Returns as soon as {@code condition} holds; throws {@link TimedOut} naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(() -> what, timeout, condition);
    }

    /** As above, with a description made when it times out (e.g. holding the last value seen). */
    public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, INTERVAL, condition);
    }

    /** As above, checking every {@code interval} (for a condition that costs, e.g. a {@code count(*)} under measurement). */
    public static void until(Supplier<String> what, Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimedOut("timed out after " + timeout + " waiting for " + what.get());
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    /**
     * Keeps a fault in place for {@code duration} (the outage itself, not a wait for something to
     * happen), checking {@code invariant} all along.
     */
    public static void hold(Duration duration, Runnable invariant) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            invariant.run();
            LockSupport.parkNanos(INTERVAL.toNanos());
        }
        invariant.run();
    }

    private Poll() {
    }
}
