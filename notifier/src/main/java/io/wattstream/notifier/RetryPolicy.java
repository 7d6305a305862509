package io.wattstream.notifier;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all of
 * {@code min(initial * 2^(n-1), max)}, so receivers that come back are not hit by every sender at
 * once. A transition is given up (dead-lettered) once {@code maxAttempts} sends failed or the next
 * wait would end after {@code giveUpAfter} from the first attempt, whichever comes first.
 *
 * <p>The defaults (1 s doubling to 1 min, 60 attempts, 30 min) keep a transition through a receiver
 * outage of 10 minutes with room to spare, and reach a receiver that is back within a minute.
 */
record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, Duration giveUpAfter) {

    static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 60, Duration.ofMinutes(30));

    RetryPolicy {
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry backoff: initial must be > 0 and max >= initial");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry max-attempts must be at least 1");
        }
    }

    /** The wait after the given number of failed attempts (1 = after the first failure). */
    Duration backoff(int failedAttempts, RandomGenerator random) {
        long ceiling = maxBackoff.toMillis();
        long base = initialBackoff.toMillis();
        for (int i = 1; i < failedAttempts && base < ceiling; i++) {
            base *= 2;
        }
        base = Math.min(base, ceiling);
        long half = base / 2;
        return Duration.ofMillis(half + (base - half == 0 ? 0 : random.nextLong(base - half + 1)));
    }

    /** Whether to stop after {@code failedAttempts}, given the time since the first attempt and the next wait. */
    boolean exhausted(int failedAttempts, Duration sinceFirstAttempt, Duration nextWait) {
        return failedAttempts >= maxAttempts || sinceFirstAttempt.plus(nextWait).compareTo(giveUpAfter) > 0;
    }
}
