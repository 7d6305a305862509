package io.wattstream.query.db;

import java.time.Instant;

/**
 * One window aggregate as the API returns it.
 *
 * @param open true for the still-open window taken from the stream processor's live state; its
 *             figures change until the window closes
 * @param energyMismatch counter and power-integrated energy disagree beyond the configured share
 * @param lateReadings   readings of this window that arrived after it had closed: stored in
 *                       {@code measurement} (marked late), not in these figures; 0 for most windows
 * @param cost           sum of the readings' costs, exact; null unless every reading with energy had a price
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
        double energyReturnedWh,
        double energyFromPowerWh,
        boolean energyMismatch,
        long lateReadings,
        boolean open,
        java.math.BigDecimal cost,
        String currency) {
}
