package io.wattstream.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads figures out of a component benchmark's printed summary. */
final class Output {

    private final String text;

    Output(String text) {
        this.text = text;
    }

    /** The number in group 1 of the first match; fails loudly if the line is missing. */
    double number(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no line matching '" + regex + "' in the benchmark's output");
        }
        return parse(m.group(1));
    }

    /** Every match, as the parsed groups. */
    List<double[]> all(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        List<double[]> rows = new ArrayList<>();
        while (m.find()) {
            double[] row = new double[m.groupCount()];
            for (int g = 1; g <= m.groupCount(); g++) {
                row[g - 1] = m.group(g) == null || m.group(g).isEmpty() ? Double.NaN : parse(m.group(g));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Lines that start with {@code prefix}, for the details. */
    List<String> lines(String regex) {
        Pattern p = Pattern.compile(regex);
        return text.lines().filter(l -> p.matcher(l).find()).toList();
    }

    private static double parse(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }
}
