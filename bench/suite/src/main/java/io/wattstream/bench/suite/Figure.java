package io.wattstream.bench.suite;

import java.util.Locale;

/**
 * One published figure: its machine name (printed as {@code name=value}), the value, the spread over
 * the rounds (min-max, when there were rounds), what it was measured against, and the target.
 *
 * @param name    the figure's fixed name, e.g. {@code ingest_ratio}
 * @param value   the headline value (a median for throughputs and ratios)
 * @param unit    shown in the table, e.g. {@code ms}, {@code x}, {@code req/s}
 * @param min     lowest round, NaN when there is one measurement
 * @param max     highest round, NaN when there is one measurement
 * @param context how it was measured, absolute numbers behind a ratio
 * @param target  the target as text, empty when there is none
 * @param met     whether the target is met; null when there is no target
 */
record Figure(String name, double value, String unit, double min, double max, String context, String target, Boolean met) {

    static Figure of(String name, double value, String unit, String context) {
        return new Figure(name, value, unit, Double.NaN, Double.NaN, context, "", null);
    }

    Figure range(double lo, double hi) {
        return new Figure(name, value, unit, lo, hi, context, target, met);
    }

    /** Target "below {@code limit}". */
    Figure below(double limit) {
        return new Figure(name, value, unit, min, max, context, "< " + fmt(limit) + " " + unit, value < limit);
    }

    /** Target "at least {@code limit}". */
    Figure atLeast(double limit) {
        return new Figure(name, value, unit, min, max, context, ">= " + fmt(limit) + (unit.equals("x") ? "x" : " " + unit), value >= limit);
    }

    String line() {
        return name + "=" + plain(value);
    }

    String verdict() {
        return met == null ? "" : met ? "met" : "**missed**";
    }

    String spread() {
        return Double.isNaN(min) ? "" : fmt(min) + " – " + fmt(max);
    }

    /** Machine-readable: no grouping, enough digits. */
    static String plain(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }

    /** For people: grouped thousands, two significant decimals below 10. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        String f = a >= 1000 ? "%,.0f" : a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, f, v);
    }
}
