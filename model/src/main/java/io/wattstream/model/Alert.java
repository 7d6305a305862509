package io.wattstream.model;

import java.time.Instant;

/**
 * An alert transition on {@code shelly.alerts}; a row of {@code alert}, identified by
 * {@code (device_id, kind, started_at)} so the CLEARED transition upserts the RAISED row.
 *
 * @param powerW     power at the transition, W (null for DEVICE_OFFLINE)
 * @param peakW      highest power seen while raised, W (null for DEVICE_OFFLINE)
 * @param endedAt    set on CLEARED
 * @param durationS  seconds from start to end, set on CLEARED
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
        Double durationS) {

    public enum Kind { POWER_OVER_THRESHOLD, DEVICE_OFFLINE }

    public enum State { RAISED, CLEARED }
}
