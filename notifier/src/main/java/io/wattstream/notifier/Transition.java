package io.wattstream.notifier;

import io.wattstream.model.Alert;
import io.wattstream.model.Device;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One alert transition as the notifier handles it: the alert, what the device registry knows about
 * its device, and where the record came from.
 *
 * @param device     registry entry, null when the device is not registered
 * @param recordTime the record's timestamp on {@code shelly.alerts} (start of the delivery latency)
 * @param bytes      the record's value as read, for the dead-letter topic
 * @param reminder   0 for the transition itself, n for the n-th reminder of an unacknowledged RAISED
 */
record Transition(Alert alert, Device device, String idempotencyKey, Instant recordTime,
                  String topic, int partition, long offset, byte[] bytes, int reminder) {

    static Transition of(Alert alert, Device device, Instant recordTime, String topic, int partition, long offset, byte[] bytes) {
        return new Transition(alert, device, idempotencyKey(alert), recordTime, topic, partition, offset, bytes, 0);
    }

    /** The n-th reminder of this RAISED: its own key (the transition's key + {@code -r<n>}), sent now. */
    Transition reminder(int n, Instant now) {
        return new Transition(alert, device, idempotencyKey(alert) + "-r" + n, now, topic, partition, offset, bytes, n);
    }

    /**
     * The key receivers deduplicate on: a hash of the alert's identity (device, kind, start, detail)
     * and the state, so every send of the same transition (retries, redeliveries after a restart,
     * replays) carries the same key and the RAISED and CLEARED of one alert carry different ones.
     */
    static String idempotencyKey(Alert a) {
        String identity = a.deviceId() + '\n' + a.kind() + '\n' + a.startedAt() + '\n' + a.detail() + '\n' + a.state();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    String deviceId() {
        return alert.deviceId();
    }

    String site() {
        return device == null ? null : device.site();
    }

    String deviceName() {
        return device == null || device.name() == null || device.name().isBlank() ? alert.deviceId() : device.name();
    }

    boolean raised() {
        return alert.state() == Alert.State.RAISED;
    }

    boolean cleared() {
        return alert.state() == Alert.State.CLEARED;
    }

    /** When the transition happened: the start for RAISED and EVENT, the end for CLEARED. */
    Instant eventTime() {
        if (cleared() && alert.endedAt() != null) {
            return alert.endedAt();
        }
        return alert.startedAt() != null ? alert.startedAt() : recordTime;
    }
}
