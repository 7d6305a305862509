package io.wattstream.kit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every setting: a whole number with its unit ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT5M}). A bare number is refused: it meant
 * milliseconds in one service and seconds in another, so nobody could tell what {@code 300} meant.
 */
public final class Durations {

    public static final String FORMS = "a number with its unit (250ms, 30s, 5m, 2h, 1d) or ISO-8601 (PT5M)";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException for a bare number, an unknown unit, a negative or malformed value
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = WITH_UNIT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (t.matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("needs a unit: write " + FORMS);
        }
        if (t.startsWith("p") || t.startsWith("-p")) {
            try {
                Duration d = Duration.parse(t);
                if (d.isNegative()) {
                    throw new IllegalArgumentException("must not be negative");
                }
                return d;
            } catch (DateTimeParseException e) {
                // reported below, with the accepted forms
            }
        }
        throw new IllegalArgumentException("must be " + FORMS);
    }

    /** {@code d} in the largest unit that keeps it whole ({@code 5m}, {@code 100ms}), as a default is written. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
