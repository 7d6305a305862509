package io.wattstream.model;

/**
 * Device registry entry on the compacted {@code shelly.devices} topic, one per meter (a multi-channel
 * device's channel N > 0 is the meter {@code <device>:<N>}).
 *
 * @param thresholdW per-device power alert threshold, W; null means the global default
 * @param maxPowerW  the most power the meter's circuit can carry, W: an energy counter rising faster is
 *                   an impossible jump; null means the global default
 */
public record Device(String deviceId, String name, String site, Double thresholdW, Double maxPowerW) {

    public Device(String deviceId, String name, String site, Double thresholdW) {
        this(deviceId, name, site, thresholdW, null);
    }
}
