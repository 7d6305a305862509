package io.wattstream.model;

import java.time.Instant;

/**
 * An enriched reading: the value of {@code shelly.readings} and a row of {@code measurement}.
 * Keeps the prototype's fields ({@code power, voltage, current, energy, timestamp}).
 *
 * @param timestamp      event time: the device's time when plausible, else {@code receivedAt}
 * @param energyDeltaWh  energy since the device's previous counter value (0 for its first reading)
 * @param counterReset   true when the counter went down (reboot, user reset)
 * @param overThreshold  power above the device's threshold at this reading
 */
public record Reading(
        String deviceId,
        double power,
        double voltage,
        double current,
        double energy,
        Instant timestamp,
        Instant receivedAt,
        RawReading.Source source,
        Double freq,
        Double pf,
        Double temperatureC,
        Boolean output,
        double energyDeltaWh,
        boolean counterReset,
        boolean overThreshold,
        String deviceName,
        String site) {
}
