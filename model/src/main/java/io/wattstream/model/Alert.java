package io.wattstream.model;

import java.time.Instant;

/**
 * An alert transition on {@code shelly.alerts}; a row of {@code alert}, identified by
 * {@code (device_id, kind, started_at, detail)} so the CLEARED transition upserts the RAISED row and
 * two device errors that start together are two alerts.
 *
 * @param powerW     power at the transition, W (power alerts)
 * @param peakW      highest power seen while raised, W (power alerts)
 * @param endedAt    set on CLEARED (and on an EVENT, which ends where it starts)
 * @param durationS  seconds from start to end, set on CLEARED
 * @param detail     what it is about: the device's error name ({@code overtemp}), the temperature and its
 *                   limit, the counter values of a reset; empty (never null) when nothing more is to say
 */
public record Alert(
        String deviceId,
        Kind kind,
        State state,
        Double thresholdW,
        Double powerW,
        Double peakW,
        Instant startedAt,
        Instant endedAt,
        Double durationS,
        String detail) {

    public enum Kind { POWER_OVER_THRESHOLD, DEVICE_OFFLINE, DEVICE_ERROR, OVER_TEMPERATURE, COUNTER_RESET }

    /** RAISED and CLEARED bracket a condition; an EVENT (a counter reset) happens at one instant. */
    public enum State { RAISED, CLEARED, EVENT }

    public Alert {
        detail = detail == null ? "" : detail;
    }

    public Alert(String deviceId, Kind kind, State state, Double thresholdW, Double powerW, Double peakW,
                 Instant startedAt, Instant endedAt, Double durationS) {
        this(deviceId, kind, state, thresholdW, powerW, peakW, startedAt, endedAt, durationS, "");
    }
}
