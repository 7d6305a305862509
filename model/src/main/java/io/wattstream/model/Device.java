package io.wattstream.model;

/**
 * Device registry entry on the compacted {@code shelly.devices} topic, one per meter (a multi-channel
 * device's channel N > 0 is the meter {@code <device>:<N>}).
 *
 * @param thresholdW         per-device power alert threshold, W; null means the global default
 * @param maxPowerW          the most power the meter's circuit can carry, W: an energy counter rising faster
 *                           is an impossible jump; null means the global default
 * @param sessionStartW      a charging session opens when power stays above this ...
 * @param sessionStartAfterS ... for this many seconds; null: the defaults
 * @param sessionStandbyW    it closes when power stays at or below this ...
 * @param sessionEndAfterS   ... for this many seconds (a shorter pause is part of the session); null: the defaults
 */
public record Device(String deviceId, String name, String site, Double thresholdW, Double maxPowerW,
                     Double sessionStartW, Double sessionStartAfterS, Double sessionStandbyW, Double sessionEndAfterS) {

    public Device(String deviceId, String name, String site, Double thresholdW) {
        this(deviceId, name, site, thresholdW, null);
    }

    public Device(String deviceId, String name, String site, Double thresholdW, Double maxPowerW) {
        this(deviceId, name, site, thresholdW, maxPowerW, null, null, null, null);
    }

    /** The same entry under the id it is registered with (the registry's key). */
    public Device withId(String id) {
        return new Device(id, name, site, thresholdW, maxPowerW, sessionStartW, sessionStartAfterS, sessionStandbyW,
                sessionEndAfterS);
    }
}
