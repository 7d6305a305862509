package io.wattstream.query.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CountCacheTest {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    /** A counter that answers a new number on every call, so reuse is visible. */
    final AtomicLong calls = new AtomicLong();
    final CountCache.Counter counter = f -> calls.incrementAndGet();

    @Test
    void settledRangesAreCountedOnceWithinTheTtl() throws Exception {
        CountCache cache = new CountCache(Clock.fixed(NOW, ZoneOffset.UTC));
        Filter past = new Filter("a", NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(1)));
        assertThat(cache.count(past, counter)).isEqualTo(1);
        assertThat(cache.count(past, counter)).isEqualTo(1);
        assertThat(cache.count(new Filter("b", past.start(), past.end()), counter)).isEqualTo(2);
    }

    @Test
    void rangesReachingThePresentAreAlwaysCounted() throws Exception {
        CountCache cache = new CountCache(Clock.fixed(NOW, ZoneOffset.UTC));
        Filter open = new Filter(null, NOW.minus(Duration.ofHours(1)), null);
        Filter recent = new Filter(null, null, NOW.minus(Duration.ofMinutes(1)));
        cache.count(open, counter);
        cache.count(open, counter);
        cache.count(recent, counter);
        cache.count(recent, counter);
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void anExpiredCountIsRecounted() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(NOW);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        CountCache cache = new CountCache(clock);
        Filter past = new Filter(null, null, NOW.minus(Duration.ofDays(1)));
        cache.count(past, counter);
        now.set(NOW.plus(CountCache.TTL).minusSeconds(1));
        assertThat(cache.count(past, counter)).isEqualTo(1);
        now.set(NOW.plus(CountCache.TTL).plusSeconds(1));
        assertThat(cache.count(past, counter)).isEqualTo(2);
    }
}
