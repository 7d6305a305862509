package io.wattstream.query.api;

/**
 * The body of {@code PUT /api/devices/{id}}: the whole registry entry (absent fields are cleared). The
 * session fields override the stream processor's charging-session levels and times for this meter.
 */
public record DeviceUpdate(String name, String site, Double thresholdW, Double maxPowerW, Double sessionStartW,
                           Double sessionStartAfterS, Double sessionStandbyW, Double sessionEndAfterS) {

    static final int MAX_TEXT = 200;
    static final double MAX_THRESHOLD_W = 100_000;
    /** A day: longer start or end times would not describe a charging session. */
    static final double MAX_SESSION_S = 86_400;
    static final String FIELDS = "name, site, threshold_w, max_power_w, session_start_w, session_start_after_s, "
            + "session_standby_w, session_end_after_s";

    public DeviceUpdate(String name, String site, Double thresholdW, Double maxPowerW) {
        this(name, site, thresholdW, maxPowerW, null, null, null, null);
    }

    /** Throws a 400 naming the first field that breaks a rule. */
    public DeviceUpdate validated() {
        text("name", name);
        text("site", site);
        watts("threshold_w", thresholdW);
        watts("max_power_w", maxPowerW);
        watts("session_start_w", sessionStartW);
        if (sessionStandbyW != null && sessionStandbyW != 0) {
            watts("session_standby_w", sessionStandbyW);
        }
        if (sessionStandbyW != null && sessionStartW != null && sessionStandbyW > sessionStartW) {
            throw ApiException.badRequest("field 'session_standby_w' (" + sessionStandbyW + " W) must not be above "
                    + "'session_start_w' (" + sessionStartW + " W)");
        }
        seconds("session_start_after_s", sessionStartAfterS, true);
        seconds("session_end_after_s", sessionEndAfterS, false);
        return this;
    }

    private static void seconds(String field, Double value, boolean zeroAllowed) {
        if (value == null) {
            return;
        }
        if (value.isNaN() || value.isInfinite() || value < 0 || (!zeroAllowed && value == 0) || value > MAX_SESSION_S) {
            throw ApiException.badRequest("field '" + field + "' must be a number of seconds " + (zeroAllowed ? ">= 0" : "> 0")
                    + " and <= " + (long) MAX_SESSION_S + ", got " + value);
        }
    }

    private static void watts(String field, Double value) {
        if (value == null) {
            return;
        }
        if (value.isNaN() || value.isInfinite()) {
            throw ApiException.badRequest("field '" + field + "' must be a finite number");
        }
        if (value <= 0 || value > MAX_THRESHOLD_W) {
            throw ApiException.badRequest("field '" + field + "' must be > 0 and <= " + (long) MAX_THRESHOLD_W
                    + " W, got " + value);
        }
    }

    private static void text(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.badRequest("field '" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("field '" + field + "' must not contain control characters (newline, tab...)");
        }
    }
}
