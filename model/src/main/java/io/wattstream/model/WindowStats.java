package io.wattstream.model;

import java.time.Instant;

/** A final per-device window aggregate on {@code shelly.readings.1m} / {@code .1h}. */
public record WindowStats(
        String deviceId,
        Instant windowStart,
        Instant windowEnd,
        long count,
        double powerMin,
        double powerMax,
        double powerAvg,
        double voltageAvg,
        double currentAvg,
        double energyWh) {
}
