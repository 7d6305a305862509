package io.wattstream.streams.processors;

import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.topology.TopologySettings.EnergyRules;
import java.time.Instant;

/** Running sums of one window (value of the window stores); averages and the reconciliation are derived on output. */
public record WindowAggregate(long count, double powerMin, double powerMax, double powerSum,
                              double voltageSum, double currentSum, double energyWh,
                              double energyReturnedWh, double energyFromPowerWh) {

    public static WindowAggregate empty() {
        return new WindowAggregate(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public WindowAggregate add(Reading r) {
        return new WindowAggregate(count + 1,
                count == 0 ? r.power() : Math.min(powerMin, r.power()),
                count == 0 ? r.power() : Math.max(powerMax, r.power()),
                powerSum + r.power(), voltageSum + r.voltage(), currentSum + r.current(),
                Counter.round(energyWh + r.energyDeltaWh()),
                Counter.round(energyReturnedWh + r.energyReturnedDeltaWh()),
                Counter.round(energyFromPowerWh + r.energyFromPowerWh()));
    }

    public WindowStats toStats(String deviceId, Instant start, Instant end, EnergyRules rules) {
        return new WindowStats(deviceId, start, end, count, powerMin, powerMax,
                count == 0 ? 0 : powerSum / count, count == 0 ? 0 : voltageSum / count,
                count == 0 ? 0 : currentSum / count, energyWh, energyReturnedWh, energyFromPowerWh,
                mismatch(rules));
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
