package io.wattstream.streams.topology;

/** Names of the state stores; their changelog topics are {@code <application.id>-<store>-changelog}. */
public final class StoreNames {

    /**
     * Identities given out per {@code (device_id, microsecond)} slot, with a fingerprint of the values of
     * the reading that holds the slot (window store, expires by retention). Replaces the former
     * {@code dedup-store}, whose values meant something else.
     */
    public static final String IDENTITY = "identity-store";
    /**
     * Per meter, one value read and written once per reading: its latest enriched reading by event time
     * (base of partials, the /state answer), the energy counters' baselines with a suspect jump awaiting
     * confirmation, and the partials held until its first full status.
     */
    public static final String LATEST_READING = "latest-reading-store";
    /** Formerly the counters per meter, now in {@link #LATEST_READING}: read once per meter to move them there. */
    public static final String METER_STATE = "meter-state-store";
    /** Formerly the held partials per meter, now in {@link #LATEST_READING}: read once per meter to move them. */
    public static final String HELD_PARTIALS = "held-partials-store";
    /** Per task: the newest event time forwarded to the windows, which decides what is too late for them. */
    public static final String WINDOW_WATERMARK = "window-watermark-store";
    /** Power, offline, device-error and temperature alert state per device. */
    public static final String ALERT_STATE = "alert-state-store";
    /** Device registry, a global table over {@code shelly.devices}. */
    public static final String DEVICES = "devices-global-store";
    /** Tariffs by scope, a global table over {@code shelly.tariffs}. */
    public static final String TARIFFS = "tariffs-global-store";
    /** Per meter: its open (or about to open) charging session. */
    public static final String SESSION_STATE = "session-state-store";
    /** Per meter: its open local days. */
    public static final String DAILY_STATE = "daily-state-store";
    /** Per meter: its open 1-minute windows and the newest closed one. */
    public static final String WINDOW_1M = "minute-windows-store";
    /** Per meter: its open 1-hour windows and the newest closed one. */
    public static final String WINDOW_1H = "hour-windows-store";
    /**
     * The former 1-minute window store of a windowed aggregation (timestamped window store): read once
     * per task to move its open windows into {@link #WINDOW_1M}, never written.
     */
    public static final String FORMER_WINDOW_1M = "window-1m-store";
    /** The former 1-hour window store, as {@link #FORMER_WINDOW_1M}, moved into {@link #WINDOW_1H}. */
    public static final String FORMER_WINDOW_1H = "window-1h-store";

    private StoreNames() {
    }
}
