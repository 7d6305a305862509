package io.wattstream.reliability;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline: the only way these tests wait for anything. */
final class Poll {

    private Poll() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /**
     * Keeps a fault in place for {@code duration} (the outage itself, not a wait for something to
     * happen), checking {@code invariant} all along.
     */
    static void hold(Duration duration, Runnable invariant) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            invariant.run();
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        invariant.run();
    }
}
