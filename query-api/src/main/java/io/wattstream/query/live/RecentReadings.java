package io.wattstream.query.live;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identities ({@code timestamp}) of the last readings shown per device, so that a reading read
 * uncommitted and written again after its transaction aborted is shown once. A reprocessed input
 * rewrites at most what one transaction held, a few readings per device, so a short window per device
 * suffices; devices not heard from for longest are forgotten first. One thread uses it.
 */
final class RecentReadings {

    static final int PER_DEVICE = 64;
    static final int DEVICES = 100_000;

    private final Map<String, ArrayDeque<String>> byDevice = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<String>> eldest) {
            return size() > DEVICES;
        }
    };

    /** True the first time this device's reading with this identity is seen (within the window). */
    boolean firstSight(String device, String timestamp) {
        ArrayDeque<String> recent = byDevice.computeIfAbsent(device, d -> new ArrayDeque<>());
        if (recent.contains(timestamp)) {
            return false;
        }
        recent.addLast(timestamp);
        if (recent.size() > PER_DEVICE) {
            recent.removeFirst();
        }
        return true;
    }
}
