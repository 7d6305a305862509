package io.wattstream.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A measured value B against its ceiling A over alternating rounds: the headline is the ratio of
 * the medians, the spread is the lowest and highest per-round ratio.
 */
record Rounds(List<Double> a, List<Double> b) {

    Rounds {
        if (a.isEmpty() || a.size() != b.size()) {
            throw new IllegalStateException("rounds do not pair up: " + a.size() + " vs " + b.size());
        }
    }

    static Rounds of(List<double[]> rows, int aColumn, int bColumn) {
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        rows.forEach(r -> {
            a.add(r[aColumn]);
            b.add(r[bColumn]);
        });
        return new Rounds(a, b);
    }

    double medianA() {
        return Stats.median(a);
    }

    double medianB() {
        return Stats.median(b);
    }

    double ratio() {
        return medianB() / medianA();
    }

    List<Double> ratios() {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            r.add(b.get(i) / a.get(i));
        }
        return r;
    }

    Figure ratioFigure(String name, String context) {
        Figure f = Figure.of(name, ratio(), "x", context);
        return a.size() > 1 ? f.range(Stats.min(ratios()), Stats.max(ratios())) : f;
    }

    /** The absolute value of B, with its own min-max. */
    Figure bFigure(String name, String unit, String context) {
        Figure f = Figure.of(name, medianB(), unit, context);
        return b.size() > 1 ? f.range(Stats.min(b), Stats.max(b)) : f;
    }

    String describe(String aName, String bName, String unit) {
        return String.format(Locale.ROOT, "%s %s vs %s %s %s (medians of %d round%s)", bName, Figure.fmt(medianB()), aName,
                Figure.fmt(medianA()), unit, a.size(), a.size() == 1 ? "" : "s");
    }
}
