package io.wattstream.streams.processors;

import io.wattstream.model.Money;
import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.topology.TopologySettings.EnergyRules;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Running sums of one window or day (value of the window stores); averages, the reconciliation and the
 * cost are derived on output.
 *
 * @param cost           exact sum of the priced readings' costs, null before the first priced one
 * @param currency       of the cost (the first priced reading's)
 * @param unpriced       some reading with energy had no price: the window's cost is unknown
 * @param mixedCurrency  priced readings came in more than one currency: no single cost
 */
public record WindowAggregate(long count, double powerMin, double powerMax, double powerSum,
                              double voltageSum, double currentSum, double energyWh,
                              double energyReturnedWh, double energyFromPowerWh,
                              BigDecimal cost, String currency, boolean unpriced, boolean mixedCurrency) {

    public static WindowAggregate empty() {
        return new WindowAggregate(0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, false, false);
    }

    public WindowAggregate add(Reading r) {
        boolean priced = r.cost() != null;
        return new WindowAggregate(count + 1,
                count == 0 ? r.power() : Math.min(powerMin, r.power()),
                count == 0 ? r.power() : Math.max(powerMax, r.power()),
                powerSum + r.power(), voltageSum + r.voltage(), currentSum + r.current(),
                Counter.round(energyWh + r.energyDeltaWh()),
                Counter.round(energyReturnedWh + r.energyReturnedDeltaWh()),
                Counter.round(energyFromPowerWh + r.energyFromPowerWh()),
                priced ? Money.add(cost, r.cost()) : cost,
                currency != null || !priced ? currency : r.currency(),
                unpriced || (!priced && r.energyDeltaWh() > 0),
                mixedCurrency || (priced && currency != null && !currency.equals(r.currency())));
    }

    /**
     * These sums and another window's, as if its readings had been added after these one by one: counts,
     * extremes and flags alike, energy and cost exactly (energies are sums of micro-Wh roundings, costs
     * exact decimals); only the float sums behind the averages may differ in their last bit.
     */
    public WindowAggregate merge(WindowAggregate o) {
        if (o.count == 0) {
            return this;
        }
        if (count == 0) {
            return o;
        }
        return new WindowAggregate(count + o.count, Math.min(powerMin, o.powerMin), Math.max(powerMax, o.powerMax),
                powerSum + o.powerSum, voltageSum + o.voltageSum, currentSum + o.currentSum,
                Counter.round(energyWh + o.energyWh),
                Counter.round(energyReturnedWh + o.energyReturnedWh),
                Counter.round(energyFromPowerWh + o.energyFromPowerWh),
                Money.add(cost, o.cost),
                currency != null ? currency : o.currency,
                unpriced || o.unpriced,
                mixedCurrency || o.mixedCurrency
                        || (currency != null && o.currency != null && !currency.equals(o.currency)));
    }

    /**
     * These sums without those of {@code part}, a share of the same readings (an open minute of an hour):
     * counts, sums, energies and cost subtracted; extremes and flags kept, as adding the part back (by
     * {@link #merge}) gives them again.
     */
    public WindowAggregate without(WindowAggregate part) {
        return new WindowAggregate(count - part.count, powerMin, powerMax, powerSum - part.powerSum,
                voltageSum - part.voltageSum, currentSum - part.currentSum,
                Counter.round(energyWh - part.energyWh),
                Counter.round(energyReturnedWh - part.energyReturnedWh),
                Counter.round(energyFromPowerWh - part.energyFromPowerWh),
                cost == null || part.cost == null ? cost : Money.add(cost, part.cost.negate()),
                currency, unpriced, mixedCurrency);
    }

    /** The cost of the whole window: known only when every reading with energy had a price in one currency. */
    public BigDecimal knownCost() {
        return unpriced || mixedCurrency || currency == null ? null : cost;
    }

    public WindowStats toStats(String deviceId, Instant start, Instant end, EnergyRules rules) {
        return toStats(deviceId, start, end, rules, null, null, null);
    }

    /** As a daily aggregate: the local day, its time zone and the meter's site. */
    public WindowStats toStats(String deviceId, Instant start, Instant end, EnergyRules rules, LocalDate day,
                               String timeZone, String site) {
        BigDecimal c = knownCost();
        return new WindowStats(deviceId, start, end, count, powerMin, powerMax,
                count == 0 ? 0 : powerSum / count, count == 0 ? 0 : voltageSum / count,
                count == 0 ? 0 : currentSum / count, energyWh, energyReturnedWh, energyFromPowerWh,
                mismatch(rules), c, c == null ? null : currency, day, timeZone, site);
    }

    /**
     * Net metered energy (consumed minus returned, as power is signed) against integrated power: flagged
     * when they differ by more than the share of the larger and by more than the counter's own dip
     * tolerance, below which a difference is counter resolution, not a fault.
     */
    boolean mismatch(EnergyRules rules) {
        double metered = energyWh - energyReturnedWh;
        double diff = Math.abs(metered - energyFromPowerWh);
        double larger = Math.max(Math.abs(metered), Math.abs(energyFromPowerWh));
        return diff > rules.reconcileShare() * larger && diff > rules.dipToleranceWh();
    }
}
