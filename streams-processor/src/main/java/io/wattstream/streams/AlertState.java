package io.wattstream.streams;

import io.wattstream.model.Alert;
import java.time.Instant;

/**
 * Per-device alert state (value of {@link StoreNames#ALERT_STATE}, changelog-backed).
 *
 * @param lastSeenAt    wall-clock time this application last received a reading of the device
 * @param lastEventAt   event time of the newest reading evaluated for the power alert
 * @param power         last power transition; while RAISED its {@code peak_w} is kept current
 * @param offline       last offline transition
 */
public record AlertState(Instant lastSeenAt, Instant lastEventAt, Alert power, Alert offline) {

    public boolean powerRaised() {
        return power != null && power.state() == Alert.State.RAISED;
    }

    public boolean offlineRaised() {
        return offline != null && offline.state() == Alert.State.RAISED;
    }
}
