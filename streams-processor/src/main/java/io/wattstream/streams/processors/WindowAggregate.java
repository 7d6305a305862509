package io.wattstream.streams.processors;

import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import java.time.Instant;

/** Running sums of one window (value of the window stores); averages are derived on output. */
public record WindowAggregate(long count, double powerMin, double powerMax, double powerSum,
                              double voltageSum, double currentSum, double energyWh) {

    public static WindowAggregate empty() {
        return new WindowAggregate(0, 0, 0, 0, 0, 0, 0);
    }

    public WindowAggregate add(Reading r) {
        return new WindowAggregate(count + 1,
                count == 0 ? r.power() : Math.min(powerMin, r.power()),
                count == 0 ? r.power() : Math.max(powerMax, r.power()),
                powerSum + r.power(), voltageSum + r.voltage(), currentSum + r.current(),
                EnergyProcessor.round(energyWh + r.energyDeltaWh()));
    }

    public WindowStats toStats(String deviceId, Instant start, Instant end) {
        return new WindowStats(deviceId, start, end, count, powerMin, powerMax,
                count == 0 ? 0 : powerSum / count, count == 0 ? 0 : voltageSum / count,
                count == 0 ? 0 : currentSum / count, energyWh);
    }
}
