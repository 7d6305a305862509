package io.wattstream.model;

import java.time.Instant;

/**
 * An acknowledgement of an alert on the compacted {@code shelly.alert-acks} topic, keyed by the
 * alert's {@link AlertKey#id()}; sunk into the alert's row of {@code alert} ({@code acked_by},
 * {@code acked_at}, {@code ack_note}). The alert is named by its identity
 * {@code (device_id, kind, started_at, detail)}; readers go by these fields, not by the record key.
 *
 * @param detail  the alert's detail; empty when it has none
 * @param ackedBy who acknowledged it: the name of the API token that did
 * @param ackedAt when
 * @param ackNote optional free text
 */
public record AlertAck(String deviceId, Alert.Kind kind, Instant startedAt, String detail, String ackedBy, Instant ackedAt,
                       String ackNote) {

    public AlertAck {
        detail = detail == null ? "" : detail;
    }

    /** The alert this acknowledges. */
    public AlertKey alert() {
        return new AlertKey(deviceId, kind, startedAt, detail);
    }
}
