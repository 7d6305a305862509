package io.wattstream.streams.processors;

import io.wattstream.model.Device;
import io.wattstream.model.RawReading;

/**
 * A complete reading joined with its device's registry entry; internal to the topology.
 *
 * @param device the registry entry (null for an unknown device), for the rules further on (sessions)
 * @param meter  the reading with its meter's state as the overlay read it
 */
public record Enriched(Overlaid meter, String deviceName, String site, double thresholdW, double maxPowerW,
                       Device device) {

    /** Unknown devices (or a registry entry without a threshold or maximum power) get the configured defaults. */
    public static Enriched of(Overlaid meter, Device device, double defaultThresholdW, double defaultMaxPowerW) {
        if (device == null) {
            return new Enriched(meter, null, null, defaultThresholdW, defaultMaxPowerW, null);
        }
        double threshold = thresholdOf(device, defaultThresholdW);
        double maxPower = device.maxPowerW() != null && device.maxPowerW() > 0 ? device.maxPowerW() : defaultMaxPowerW;
        return new Enriched(meter, device.name(), device.site(), threshold, maxPower, device);
    }

    public RawReading raw() {
        return meter.raw();
    }

    /** The power threshold a reading of this registry entry (null: not registered) is judged by. */
    public static double thresholdOf(Device device, double defaultThresholdW) {
        return device != null && device.thresholdW() != null && device.thresholdW() > 0 ? device.thresholdW()
                : defaultThresholdW;
    }
}
