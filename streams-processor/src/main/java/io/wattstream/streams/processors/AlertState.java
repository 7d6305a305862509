package io.wattstream.streams.processors;

import io.wattstream.model.Alert;
import java.time.Instant;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-device alert state (value of {@link io.wattstream.streams.topology.StoreNames#ALERT_STATE},
 * changelog-backed). Written only when something changes (a transition, a new peak) and to move
 * {@code lastSeenAt} on, at most once per offline-check interval, so a steady stream of readings costs
 * no changelog traffic here.
 *
 * @param lastSeenAt   wall-clock time this application last received a reading of the device, to within
 *                     the offline-check interval
 * @param power        last power transition; while RAISED its {@code peak_w} is kept current
 * @param offline      last offline transition
 * @param errors       the device errors raised now, by name
 * @param temperature  last over-temperature transition
 */
public record AlertState(Instant lastSeenAt, Alert power, Alert offline, SortedMap<String, Alert> errors,
                         Alert temperature) {

    public AlertState {
        errors = errors == null ? new TreeMap<>() : new TreeMap<>(errors);
    }

    public AlertState(Instant lastSeenAt, Alert power, Alert offline) {
        this(lastSeenAt, power, offline, null, null);
    }

    public boolean powerRaised() {
        return power != null && power.state() == Alert.State.RAISED;
    }

    public boolean offlineRaised() {
        return offline != null && offline.state() == Alert.State.RAISED;
    }

    public boolean temperatureRaised() {
        return temperature != null && temperature.state() == Alert.State.RAISED;
    }
}
