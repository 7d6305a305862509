package io.wattstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One reading the gateway answered 2xx for, as its response's {@code data} described it. Fields
 * a partial ({@code NotifyStatus}) did not carry are null and not checked.
 */
record Accepted(String deviceId, Instant timestamp, Double power, Double voltage, Double current, Double energy,
                String source) {

    static Accepted of(JsonNode data) {
        return new Accepted(data.get("device_id").asText(), Instant.parse(data.get("timestamp").asText()),
                num(data, "power"), num(data, "voltage"), num(data, "current"), num(data, "energy"),
                data.path("source").asText());
    }

    private static Double num(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asDouble();
    }

    /** The identity of a reading in the whole pipeline. */
    String key() {
        return key(deviceId, timestamp);
    }

    static String key(String deviceId, Instant timestamp) {
        return deviceId + "|" + timestamp;
    }
}
