package io.wattstream.query.db;

import java.time.Instant;

/** A row of {@code alert}: one alert from RAISED to (once cleared) CLEARED. */
public record AlertRow(
        String deviceId,
        String kind,
        String state,
        Double thresholdW,
        Double powerW,
        Double peakW,
        Instant startedAt,
        Instant endedAt,
        Double durationS) {
}
