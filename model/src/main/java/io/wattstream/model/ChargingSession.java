package io.wattstream.model;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A charging session of one meter: the value of {@code shelly.sessions} (an OPENED, UPDATED or CLOSED
 * event) and a row of {@code charging_session}, upserted on {@code session_id}. Energy is the sum of
 * the meter's corrected counter deltas (never integrated power), cost the sum of each delta's cost at
 * the price in force at its reading's time.
 *
 * @param sessionId     stable: derived from the meter and the start, so a replay gives the same id
 * @param startedAt     time of the first reading above the start level
 * @param endedAt       set when CLOSED: the first reading of the final standby, or the last reading
 *                      before the meter went silent ({@code offline})
 * @param lastReadingAt the newest reading counted so far
 * @param durationS     from start to end (to the last reading while open)
 * @param energyWh      energy of the session, Wh (counter deltas)
 * @param avgPowerW     energy / duration
 * @param pauses        times power fell to standby and came back within the end time
 * @param cost          exact; null when some of the energy had no tariff (never 0 for "unknown")
 * @param currency      of the cost; null when cost is null
 * @param zones         the tariff zones the session crossed, with energy and cost in each
 * @param readings      readings counted
 * @param counterReset  the meter's counter was reset during the session (the deltas count from zero)
 * @param offline       closed because the meter sent nothing for the end time; energy is what was known
 */
public record ChargingSession(
        String sessionId,
        String deviceId,
        String deviceName,
        String site,
        State state,
        Instant startedAt,
        Instant endedAt,
        Instant lastReadingAt,
        double durationS,
        double energyWh,
        double peakPowerW,
        double avgPowerW,
        int pauses,
        BigDecimal cost,
        String currency,
        List<ZoneShare> zones,
        long readings,
        boolean counterReset,
        boolean offline) {

    public enum State { OPENED, UPDATED, CLOSED }

    /** Energy and cost of a session in one tariff zone. */
    public record ZoneShare(String tariffId, String zone, BigDecimal pricePerKwh, double energyWh, BigDecimal cost) {
    }

    public ChargingSession {
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    public boolean open() {
        return state != State.CLOSED;
    }

    /** The id of the session of {@code deviceId} that started at {@code startedAt}. */
    public static String idOf(String deviceId, Instant startedAt) {
        return UUID.nameUUIDFromBytes((deviceId + "|" + startedAt).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
