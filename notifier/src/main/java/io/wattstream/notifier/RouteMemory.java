package io.wattstream.notifier;

import io.wattstream.model.Alert;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Each route's decision on the start (RAISED or EVENT) of each alert, per device and kind: what
 * flapping suppression compares against and what a CLEARED follows. Filled while routing and, at
 * start, from the delivery log, so a restart decides as before. Used by the consumer thread only.
 * Keeps the newest {@value #KEEP} alerts per route, device and kind.
 */
final class RouteMemory {

    static final int KEEP = 64;

    /** A remembered decision: reason null means the route let the transition through. */
    record Remembered(String reason) {
        static final Remembered SENT = new Remembered(null);
    }

    private record Key(String routeId, String deviceId, Alert.Kind kind) {
    }

    /** An alert's start within one device and kind: two device errors may start at the same instant. */
    private record Start(Instant at, String detail) {
        static final Comparator<Start> ORDER = Comparator.comparing(Start::at).thenComparing(Start::detail);
    }

    private final Map<Key, NavigableMap<Start, Remembered>> decisions = new HashMap<>();

    Remembered decision(String routeId, Alert a) {
        NavigableMap<Start, Remembered> m = decisions.get(new Key(routeId, a.deviceId(), a.kind()));
        return m == null || a.startedAt() == null ? null : m.get(new Start(a.startedAt(), a.detail()));
    }

    /** The start of the latest alert before this one's start that the route let through. */
    Instant lastSentBefore(String routeId, Alert a) {
        NavigableMap<Start, Remembered> m = decisions.get(new Key(routeId, a.deviceId(), a.kind()));
        if (m == null) {
            return null;
        }
        for (Map.Entry<Start, Remembered> e : m.headMap(new Start(a.startedAt(), ""), false).descendingMap().entrySet()) {
            if (e.getValue().reason() == null) {
                return e.getKey().at();
            }
        }
        return null;
    }

    void remember(String routeId, String deviceId, Alert.Kind kind, Instant startedAt, String detail, String reason) {
        if (startedAt == null) {
            return;
        }
        NavigableMap<Start, Remembered> m = decisions.computeIfAbsent(new Key(routeId, deviceId, kind),
                k -> new TreeMap<>(Start.ORDER));
        m.put(new Start(startedAt, detail == null ? "" : detail), reason == null ? Remembered.SENT : new Remembered(reason));
        while (m.size() > KEEP) {
            m.pollFirstEntry();
        }
    }

    void remember(String routeId, Alert a, String reason) {
        remember(routeId, a.deviceId(), a.kind(), a.startedAt(), a.detail(), reason);
    }
}
