package io.wattstream.streams.processors;

import io.wattstream.model.ChargingSession;
import java.time.Duration;
import java.time.Instant;

/**
 * One meter's session in the making or open (value of {@link io.wattstream.streams.topology.StoreNames#SESSION_STATE});
 * a meter with neither has no entry.
 *
 * @param open           false while power has been above the start level for less than the start time
 * @param startedAt      the first reading above the start level
 * @param session        the session's readings so far, up to the first reading of a running pause
 * @param pauseStart     the first reading at or below the standby level of a running pause, else null
 * @param tail           the later readings of the running pause: the session's if power comes back in
 *                       time, nobody's if the pause becomes its end
 * @param lastEmittedAt  event time of the last OPENED or UPDATED
 * @param lastSeenWallMs wall-clock time the last reading was processed: how long the meter has been silent
 * @param endAfter       the meter's end time when it last reported (the punctuation needs it without a reading)
 */
public record SessionState(boolean open, Instant startedAt, SessionTotals session, Instant pauseStart,
                           SessionTotals tail, int pauses, Instant lastReadingAt, Instant lastEmittedAt,
                           long lastSeenWallMs, Duration endAfter, String deviceName, String site) {

    /** The event time from which on the session is over: the end time after the pause began or the meter went silent. */
    public Instant deadline() {
        return (pauseStart != null ? pauseStart : lastReadingAt).plus(endAfter);
    }

    /** The wall-clock time from which on a silent meter's session is over. */
    public long wallDeadlineMs() {
        return lastSeenWallMs + Duration.between(lastReadingAt, deadline()).toMillis();
    }

    /** The session as published: OPENED, UPDATED, or CLOSED at {@code endedAt}. */
    public ChargingSession view(String deviceId, ChargingSession.State state, Instant endedAt, boolean offline) {
        Instant until = endedAt != null ? endedAt : pauseStart != null ? pauseStart : lastReadingAt;
        double seconds = Duration.between(startedAt, until).toNanos() / 1e9;
        double avg = seconds > 0 ? Counter.round(session.energyWh() * 3600 / seconds) : 0;
        java.math.BigDecimal cost = session.knownCost();
        return new ChargingSession(ChargingSession.idOf(deviceId, startedAt), deviceId, deviceName, site, state, startedAt,
                endedAt, lastReadingAt, seconds, session.energyWh(), session.peakW(), avg, pauses, cost,
                cost == null ? null : session.currency(), session.zones(), session.readings(), session.counterReset(),
                offline);
    }
}
