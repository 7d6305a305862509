package io.wattstream.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void backoffDoublesWithJitterUpToTheMaximum() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 60, Duration.ofMinutes(30));
        for (int n = 1; n <= 12; n++) {
            long ceiling = Math.min(1000L << (n - 1), 60_000);
            for (int i = 0; i < 50; i++) {
                long ms = p.backoff(n, random).toMillis();
                assertThat(ms).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void jitterSpreadsTheWaits() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        long distinct = java.util.stream.IntStream.range(0, 20).mapToLong(i -> p.backoff(5, random).toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void givesUpAfterMaxAttemptsOrTime() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 5, Duration.ofMinutes(30));
        assertThat(p.exhausted(4, Duration.ofSeconds(10), Duration.ofSeconds(8))).isFalse();
        assertThat(p.exhausted(5, Duration.ofSeconds(10), Duration.ofSeconds(8))).isTrue();
        assertThat(p.exhausted(2, Duration.ofMinutes(29).plusSeconds(30), Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void defaultsOutlastATenMinuteOutageAndRetryAtLeastEveryMinute() {
        RetryPolicy p = RetryPolicy.DEFAULT;
        Duration elapsed = Duration.ZERO;
        int failed = 0;
        // Worst case: every wait at its longest.
        while (elapsed.compareTo(Duration.ofMinutes(10)) < 0) {
            failed++;
            Duration wait = Duration.ofMillis(Math.min(1000L << Math.min(failed - 1, 20), 60_000));
            assertThat(p.exhausted(failed, elapsed, wait)).as("gave up after %s", elapsed).isFalse();
            assertThat(wait).isLessThanOrEqualTo(Duration.ofMinutes(1));
            elapsed = elapsed.plus(wait);
        }
    }
}
