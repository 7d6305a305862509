package io.wattstream.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A final per-device window aggregate on {@code shelly.readings.1m} / {@code .1h}.
 *
 * @param energyWh           sum of the counter deltas of the window's readings (what is billed)
 * @param energyReturnedWh   sum of the returned-energy deltas
 * @param energyFromPowerWh  energy integrated from the power readings over the same intervals
 * @param energyMismatch     the two disagree by more than the configured share (a data gap, a clock
 *                           problem or a faulty meter)
 * @param cost               sum of the readings' costs (exact); null unless every reading with energy had a
 *                           price, all in one currency
 * @param currency           of the cost
 * @param day                daily aggregates only: the local calendar day ({@code window_start} and
 *                           {@code window_end} are its local midnights)
 * @param timeZone           daily aggregates only: the time zone of that day (the meter's tariff's, else the default)
 * @param site               daily aggregates only: the meter's site
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
        boolean energyMismatch,
        BigDecimal cost,
        String currency,
        LocalDate day,
        String timeZone,
        String site) {

    /** A 1-minute or 1-hour aggregate without a cost. */
    public WindowStats(String deviceId, Instant windowStart, Instant windowEnd, long count, double powerMin,
                       double powerMax, double powerAvg, double voltageAvg, double currentAvg, double energyWh,
                       double energyReturnedWh, double energyFromPowerWh, boolean energyMismatch) {
        this(deviceId, windowStart, windowEnd, count, powerMin, powerMax, powerAvg, voltageAvg, currentAvg, energyWh,
                energyReturnedWh, energyFromPowerWh, energyMismatch, null, null, null, null, null);
    }
}
