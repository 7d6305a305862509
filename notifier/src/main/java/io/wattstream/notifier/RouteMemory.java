package io.wattstream.notifier;

import io.wattstream.model.Alert;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.HashMap;

/**
 * Each route's decision on the RAISED of each alert, per device and kind: what flapping suppression
 * compares against and what a CLEARED follows. Filled while routing and, at start, from the delivery
 * log, so a restart decides as before. Used by the consumer thread only. Keeps the newest {@value #KEEP} alerts per route, device and kind.
 */
final class RouteMemory {

    static final int KEEP = 64;

    /** A remembered decision: reason null means the route let the RAISED through. */
    record Remembered(String reason) {
        static final Remembered SENT = new Remembered(null);
    }

    private record Key(String routeId, String deviceId, Alert.Kind kind) {
    }

    private final Map<Key, NavigableMap<Instant, Remembered>> decisions = new HashMap<>();

    Remembered decision(String routeId, String deviceId, Alert.Kind kind, Instant startedAt) {
        NavigableMap<Instant, Remembered> m = decisions.get(new Key(routeId, deviceId, kind));
        return m == null || startedAt == null ? null : m.get(startedAt);
    }

    /** The start of the latest RAISED before {@code startedAt} that the route let through. */
    Instant lastSentBefore(String routeId, String deviceId, Alert.Kind kind, Instant startedAt) {
        NavigableMap<Instant, Remembered> m = decisions.get(new Key(routeId, deviceId, kind));
        if (m == null) {
            return null;
        }
        for (Map.Entry<Instant, Remembered> e : m.headMap(startedAt, false).descendingMap().entrySet()) {
            if (e.getValue().reason() == null) {
                return e.getKey();
            }
        }
        return null;
    }

    void remember(String routeId, String deviceId, Alert.Kind kind, Instant startedAt, String reason) {
        if (startedAt == null) {
            return;
        }
        NavigableMap<Instant, Remembered> m = decisions.computeIfAbsent(new Key(routeId, deviceId, kind),
                k -> new TreeMap<>());
        m.put(startedAt, reason == null ? Remembered.SENT : new Remembered(reason));
        while (m.size() > KEEP) {
            m.pollFirstEntry();
        }
    }
}
