package io.wattstream.model;

import java.util.regex.Pattern;

/**
 * The physical bounds and identifier rules a reading must meet, shared by the gateway (which
 * answers 400) and the stream processor (which dead-letters). Bounds are wide enough for any
 * single-phase or three-phase meter on a charging point, narrow enough to catch garbage.
 */
public final class ReadingRules {

    public static final String DEFAULT_DEVICE = "default";
    public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    /** A named numeric field with inclusive bounds. */
    public record Bound(String field, double min, double max, String unit) {
        public void check(Double value) {
            if (value == null) {
                return;
            }
            if (value.isNaN() || value.isInfinite()) {
                throw new InvalidReadingException("field '" + field + "' must be a finite number");
            }
            if (value < 0 && min == 0) {
                // RMS values and counters have no sign; a negative one is a broken sender, not export.
                String u = unit.isEmpty() ? "" : " " + unit;
                throw new InvalidReadingException("field '" + field + "' is " + value + u + ", but it is never negative");
            }
            if (value < min || value > max) {
                String u = unit.isEmpty() ? "" : " " + unit;
                throw new InvalidReadingException("field '" + field + "' is " + value + u
                        + ", outside the physical bounds [" + fmt(min) + ", " + fmt(max) + "]" + u);
            }
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /** Negative power is real: a meter measures export too (Shelly's ret_aenergy). RMS voltage and current are not. */
    public static final Bound POWER = new Bound("power", -100_000, 100_000, "W");
    public static final Bound VOLTAGE = new Bound("voltage", 0, 1_000, "V");
    public static final Bound CURRENT = new Bound("current", 0, 500, "A");
    public static final Bound ENERGY = new Bound("energy", 0, 1e13, "Wh");
    public static final Bound ENERGY_RETURNED = new Bound("energy_returned", 0, 1e13, "Wh");
    /** A device error flag as Shelly names them ({@code overtemp}, {@code overpower}, ...). */
    public static final Pattern ERROR_NAME = Pattern.compile("[a-z0-9_]{1,32}");
    public static final int MAX_ERRORS = 8;
    public static final Bound FREQ = new Bound("freq", 0, 1_000, "Hz");
    public static final Bound PF = new Bound("pf", -1, 1, "");
    public static final Bound TEMPERATURE = new Bound("temperature_c", -60, 200, "C");

    public static boolean validDeviceId(String id) {
        return id != null && DEVICE_ID.matcher(id).matches();
    }

    /** Throws {@link InvalidReadingException} naming the first field that breaks a rule. */
    public static void validate(RawReading r) {
        if (!validDeviceId(r.deviceId())) {
            throw new InvalidReadingException("field 'device_id' must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        if (r.receivedAt() == null) {
            throw new InvalidReadingException("field 'received_at' is missing");
        }
        if (r.timestamp() == null) {
            throw new InvalidReadingException("field 'timestamp' is missing");
        }
        if (!r.partial()) {
            requirePresent("power", r.power());
            requirePresent("voltage", r.voltage());
            requirePresent("current", r.current());
            requirePresent("energy", r.energy());
        }
        POWER.check(r.power());
        VOLTAGE.check(r.voltage());
        CURRENT.check(r.current());
        ENERGY.check(r.energy());
        FREQ.check(r.freq());
        PF.check(r.pf());
        TEMPERATURE.check(r.temperatureC());
        ENERGY_RETURNED.check(r.energyReturned());
        checkErrors(r.errors());
    }

    /** Sorted, distinct, comma-separated names; empty is allowed (a partial reporting every error gone). */
    private static void checkErrors(String errors) {
        if (errors == null || errors.isEmpty()) {
            return;
        }
        String[] names = errors.split(",", -1);
        if (names.length > MAX_ERRORS) {
            throw new InvalidReadingException("field 'errors' holds more than " + MAX_ERRORS + " error names");
        }
        for (int i = 0; i < names.length; i++) {
            if (!ERROR_NAME.matcher(names[i]).matches()) {
                throw new InvalidReadingException("field 'errors' must hold error names of [a-z0-9_], 1-32 characters");
            }
            if (i > 0 && names[i - 1].compareTo(names[i]) >= 0) {
                throw new InvalidReadingException("field 'errors' must be sorted and without repeats");
            }
        }
    }

    /** The canonical form of a set of error names: lower case, sorted, distinct, comma-separated ("" for none). */
    public static String errorList(java.util.Collection<String> names) {
        return String.join(",", new java.util.TreeSet<>(names.stream()
                .map(n -> n.trim().toLowerCase(java.util.Locale.ROOT)).filter(n -> !n.isEmpty()).toList()));
    }

    private static void requirePresent(String field, Double value) {
        if (value == null) {
            throw new InvalidReadingException("field '" + field + "' is required");
        }
    }

    private ReadingRules() {
    }
}
