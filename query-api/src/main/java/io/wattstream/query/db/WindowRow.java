package io.wattstream.query.db;

import java.time.Instant;

/**
 * One window aggregate as the API returns it.
 *
 * @param open true for the still-open window taken from the stream processor's live state; its
 *             figures change until the window closes
 */
public record WindowRow(
        String deviceId,
        Instant windowStart,
        Instant windowEnd,
        long count,
        double powerMin,
        double powerMax,
        double powerAvg,
        double voltageAvg,
        double currentAvg,
        double energyWh,
        boolean open) {
}
