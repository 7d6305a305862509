package io.wattstream.streams.processors;

import io.wattstream.model.Device;
import io.wattstream.model.Reading;
import java.time.ZoneId;

/**
 * An enriched reading with the threshold that applied to it; internal to the topology.
 *
 * @param newest       whether it is the device's newest reading by event time (false for a late one)
 * @param resetDetail  set when a counter was reset at this reading: which one, from what to what
 * @param device       the meter's registry entry, or null
 * @param timeZone     the zone of the meter's local day: its tariff's, else the default (set by pricing)
 */
public record Measured(Reading reading, double thresholdW, boolean newest, String resetDetail, Device device,
                       ZoneId timeZone) {

    public Measured withReading(Reading r) {
        return new Measured(r, thresholdW, newest, resetDetail, device, timeZone);
    }

    public Measured priced(Reading r, ZoneId zone) {
        return new Measured(r, thresholdW, newest, resetDetail, device, zone);
    }
}
