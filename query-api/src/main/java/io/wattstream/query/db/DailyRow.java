package io.wattstream.query.db;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One meter's (or, grouped, one site's) energy and cost on one local day, as {@code /api/energy/daily}
 * returns it.
 *
 * @param meters      grouped by site: how many meters the row sums; absent per meter
 * @param cost        exact; null when part of the energy had no tariff (or, for a site, the meters' currencies differ)
 * @param costRounded the cost in the currency's minor unit (half up): the figure to bill
 * @param open        the day has not ended (plus its grace): its figures come from the stream processor and grow
 */
public record DailyRow(String deviceId, String site, LocalDate day, String timeZone, Instant windowStart,
                       Instant windowEnd, Integer meters, double energyWh, BigDecimal cost, BigDecimal costRounded,
                       String currency, boolean open) {
}
