package io.wattstream.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;

/**
 * The identity of an alert, {@code (device_id, kind, started_at, detail)} as the {@code alert} table's
 * primary key, and its {@link #id()}: one opaque URL-safe string for APIs and record keys, decoded
 * again without a lookup. The same alert always has the same id, whoever computes it.
 */
public record AlertKey(String deviceId, Alert.Kind kind, Instant startedAt, String detail) {

    public AlertKey {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(startedAt, "startedAt");
        detail = detail == null ? "" : detail;
    }

    public static AlertKey of(Alert a) {
        return new AlertKey(a.deviceId(), a.kind(), a.startedAt(), a.detail());
    }

    /** base64url (no padding) of {@code device_id \n KIND \n started_at \n detail}; a device id has no newline. */
    public String id() {
        String text = deviceId + '\n' + kind.name() + '\n' + startedAt + '\n' + detail;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key an {@link #id()} encodes.
     *
     * @throws IllegalArgumentException when {@code id} is no alert id
     */
    public static AlertKey parse(String id) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(id == null ? "" : id), StandardCharsets.UTF_8);
            String[] f = text.split("\n", 4);
            if (f.length != 4 || !ReadingRules.validDeviceId(f[0])) {
                throw new IllegalArgumentException("not an alert id");
            }
            AlertKey key = new AlertKey(f[0], Alert.Kind.valueOf(f[1]), Instant.parse(f[2]), f[3]);
            if (!key.id().equals(id)) {
                throw new IllegalArgumentException("not an alert id"); // another spelling of the same text
            }
            return key;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("not an alert id", e);
        }
    }
}
