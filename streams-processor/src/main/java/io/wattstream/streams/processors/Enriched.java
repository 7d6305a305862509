package io.wattstream.streams.processors;

import io.wattstream.model.Device;
import io.wattstream.model.RawReading;

/** A complete reading joined with its device's registry entry; internal to the topology. */
public record Enriched(RawReading raw, String deviceName, String site, double thresholdW) {

    /** Unknown devices (or a registry entry without a threshold) get the configured default threshold. */
    public static Enriched of(RawReading raw, Device device, double defaultThresholdW) {
        if (device == null) {
            return new Enriched(raw, null, null, defaultThresholdW);
        }
        double threshold = device.thresholdW() != null && device.thresholdW() > 0 ? device.thresholdW() : defaultThresholdW;
        return new Enriched(raw, device.name(), device.site(), threshold);
    }
}
