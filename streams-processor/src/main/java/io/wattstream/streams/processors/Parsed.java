package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;

/**
 * Outcome of reading one raw record: either a valid reading, or the original bytes with the reason
 * they are dead-lettered. Internal to the topology, never serialized.
 */
public record Parsed(RawReading reading, byte[] original, String reason, String detail) {

    static Parsed ok(RawReading reading) {
        return new Parsed(reading, null, null, null);
    }

    static Parsed rejected(byte[] original, String reason, String detail) {
        return new Parsed(null, original, reason, detail);
    }

    public boolean isRejected() {
        return reason != null;
    }
}
