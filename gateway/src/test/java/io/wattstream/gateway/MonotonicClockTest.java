package io.wattstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MonotonicClockTest {

    /** A wall clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private final AtomicReference<Instant> now;

        HandClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant t) {
            now.set(t);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void followsTheWallClockAtMicrosecondPrecision() {
        HandClock wall = new HandClock(Instant.parse("2026-11-20T09:00:00.123456789Z"));
        MonotonicClock clock = new MonotonicClock(wall);
        assertThat(clock.next()).isEqualTo(Instant.parse("2026-11-20T09:00:00.123456Z"));
        wall.set(Instant.parse("2026-11-20T09:00:01Z"));
        assertThat(clock.next()).isEqualTo(Instant.parse("2026-11-20T09:00:01Z"));
    }

    @Test
    void stepsOneMicrosecondWhenTheWallClockStandsStill() {
        MonotonicClock clock = new MonotonicClock(new HandClock(Instant.parse("2026-11-20T09:00:00Z")));
        Instant a = clock.next();
        Instant b = clock.next();
        Instant c = clock.next();
        assertThat(ChronoUnit.MICROS.between(a, b)).isEqualTo(1);
        assertThat(ChronoUnit.MICROS.between(b, c)).isEqualTo(1);
    }

    @Test
    void keepsIncreasingWhenTheWallClockStepsBack() {
        HandClock wall = new HandClock(Instant.parse("2026-11-20T09:00:10Z"));
        MonotonicClock clock = new MonotonicClock(wall);
        Instant before = clock.next();
        wall.set(Instant.parse("2026-11-20T09:00:00Z"));
        assertThat(clock.next()).isAfter(before);
    }

    @Test
    void neverRepeatsAnInstantAcrossConcurrentThreads() throws Exception {
        MonotonicClock clock = new MonotonicClock();
        int threads = 8;
        int perThread = 20_000;
        List<List<Instant>> seen = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            List<Instant> mine = new ArrayList<>(perThread);
            seen.add(mine);
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    mine.add(clock.next());
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        Set<Instant> all = new HashSet<>();
        for (List<Instant> mine : seen) {
            assertThat(mine).hasSize(perThread);
            for (int i = 1; i < mine.size(); i++) {
                assertThat(mine.get(i)).as("each thread sees strictly increasing values").isAfter(mine.get(i - 1));
            }
            all.addAll(mine);
        }
        assertThat(all).as("no instant handed out twice").hasSize(threads * perThread);
        assertThat(all).allSatisfy(t -> assertThat(t.getNano() % 1_000).isZero());
    }
}
