package io.wattstream.query.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentReadingsTest {

    @Test
    void showsAReadingWrittenAgainAfterAnAbortedTransactionOnce() {
        RecentReadings recent = new RecentReadings();
        assertThat(recent.firstSight("bay-1", "2026-11-20T09:00:00.000001Z")).isTrue();
        assertThat(recent.firstSight("bay-1", "2026-11-20T09:00:01Z")).isTrue();
        // The aborted transaction's input is processed again: the same readings arrive a second time.
        assertThat(recent.firstSight("bay-1", "2026-11-20T09:00:00.000001Z")).isFalse();
        assertThat(recent.firstSight("bay-1", "2026-11-20T09:00:01Z")).isFalse();
    }

    @Test
    void keepsReadingsOfOtherDevicesAndDistinctTimesApart() {
        RecentReadings recent = new RecentReadings();
        assertThat(recent.firstSight("bay-1", "2026-11-20T09:00:00Z")).isTrue();
        assertThat(recent.firstSight("bay-2", "2026-11-20T09:00:00Z")).isTrue();
        // Same device time, another reading: the stream processor gave it an identity of its own.
        assertThat(recent.firstSight("bay-1", "2026-11-20T09:00:00.000001Z")).isTrue();
    }

    @Test
    void remembersTheLastReadingsOfADeviceOnly() {
        RecentReadings recent = new RecentReadings();
        for (int i = 0; i <= RecentReadings.PER_DEVICE; i++) {
            assertThat(recent.firstSight("bay-1", "t" + i)).isTrue();
        }
        assertThat(recent.firstSight("bay-1", "t" + RecentReadings.PER_DEVICE)).as("still in the window").isFalse();
        assertThat(recent.firstSight("bay-1", "t0")).as("out of the window: forgotten").isTrue();
    }
}
