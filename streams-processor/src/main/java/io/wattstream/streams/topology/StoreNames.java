package io.wattstream.streams.topology;

/** Names of the state stores; their changelog topics are {@code <application.id>-<store>-changelog}. */
public final class StoreNames {

    /** Recently seen {@code (device_id, timestamp)} identities (window store, expires by retention). */
    public static final String DEDUP = "dedup-store";
    /** Partials that arrived before any full status of their device. */
    public static final String HELD_PARTIALS = "held-partials-store";
    /** The latest enriched reading per device (by event time): energy counter base, base of partials, /state answer. */
    public static final String LATEST_READING = "latest-reading-store";
    /** Power and offline alert state per device. */
    public static final String ALERT_STATE = "alert-state-store";
    /** Device registry, a global table over {@code shelly.devices}. */
    public static final String DEVICES = "devices-global-store";
    public static final String WINDOW_1M = "window-1m-store";
    public static final String WINDOW_1H = "window-1h-store";

    private StoreNames() {
    }
}
