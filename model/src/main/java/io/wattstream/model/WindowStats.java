package io.wattstream.model;

import java.time.Instant;

/**
 * A final per-device window aggregate on {@code shelly.readings.1m} / {@code .1h}.
 *
 * @param energyWh           sum of the counter deltas of the window's readings (what is billed)
 * @param energyReturnedWh   sum of the returned-energy deltas
 * @param energyFromPowerWh  energy integrated from the power readings over the same intervals
 * @param energyMismatch     the two disagree by more than the configured share (a data gap, a clock
 *                           problem or a faulty meter)
 */
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
        double energyWh,
        double energyReturnedWh,
        double energyFromPowerWh,
        boolean energyMismatch) {
}
