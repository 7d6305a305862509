package io.wattstream.query.api;

/** The body of {@code PUT /api/devices/{id}}: the whole registry entry (absent fields are cleared). */
public record DeviceUpdate(String name, String site, Double thresholdW, Double maxPowerW) {

    static final int MAX_TEXT = 200;
    static final double MAX_THRESHOLD_W = 100_000;

    /** Throws a 400 naming the first field that breaks a rule. */
    public DeviceUpdate validated() {
        text("name", name);
        text("site", site);
        watts("threshold_w", thresholdW);
        watts("max_power_w", maxPowerW);
        return this;
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
