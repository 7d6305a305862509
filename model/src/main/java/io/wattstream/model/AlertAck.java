package io.wattstream.model;

import java.time.Instant;

/**
 * An acknowledgement of an alert on the compacted {@code shelly.alert-acks} topic. The alert is
 * named by its identity {@code (device_id, kind, started_at, detail)}, as in the {@code alert} table;
 * readers go by these fields, not by the record key.
 *
 * @param detail the alert's detail; null or empty when it has none
 * @param by     who acknowledged it
 * @param at     when
 * @param note   optional free text
 */
public record AlertAck(String deviceId, Alert.Kind kind, Instant startedAt, String detail, String by, Instant at, String note) {
}
