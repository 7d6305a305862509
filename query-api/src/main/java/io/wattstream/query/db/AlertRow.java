package io.wattstream.query.db;

import java.time.Instant;

/**
 * A row of {@code alert}: one alert from RAISED to (once cleared) CLEARED, or one EVENT (a counter
 * reset). {@code detail} says what it is about: the device error, the temperature limit, the counter
 * values. {@code id} is its {@code AlertKey} id (the address of {@code POST /api/alerts/{id}/ack});
 * the {@code acked_*} fields are set once someone acknowledged it.
 */
public record AlertRow(
        String id,
        String deviceId,
        String kind,
        String state,
        Double thresholdW,
        Double powerW,
        Double peakW,
        Instant startedAt,
        Instant endedAt,
        Double durationS,
        String detail,
        boolean acknowledged,
        String ackedBy,
        Instant ackedAt,
        String ackNote) {
}
