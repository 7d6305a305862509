package io.wattstream.embedded.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests that scrape
 * {@code /observe/metrics}: every line must be a comment, a {@code # HELP}/{@code # TYPE} line or a
 * sample {@code name{label="value",...} value [timestamp]}; a family's {@code # TYPE} comes once and
 * before its samples. Anything else is an {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")( .*)?");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Set<String> SUFFIXES = Set.of("_total", "_created", "_count", "_sum", "_bucket", "_max");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Integer> firstSample = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int no = i + 1;
            if (line.isEmpty() || (line.startsWith("#") && !line.startsWith("# TYPE") && !line.startsWith("# HELP"))) {
                continue;
            }
            Matcher m;
            if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw bad(no, line, "second # TYPE for " + m.group(1));
                }
                if (firstSample.containsKey(m.group(1))) {
                    throw bad(no, line, "# TYPE after samples of " + m.group(1));
                }
            } else if (HELP.matcher(line).matches()) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                samples.add(new Sample(name, labels(no, line, m.group(3)), value(no, line, m.group(4))));
                firstSample.putIfAbsent(family(name, types), no);
            } else {
                throw bad(no, line, "neither a comment nor a sample");
            }
        }
        return new PrometheusText(samples, types);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The declared type of each family. */
    public Map<String, String> types() {
        return types;
    }

    /** The samples with this exact name. */
    public List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sum of the samples with this name (over all label sets), empty when there is none. */
    public Optional<Double> sum(String name) {
        List<Sample> found = samples(name);
        return found.isEmpty() ? Optional.empty()
                : Optional.of(found.stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).sum());
    }

    private static String family(String sampleName, Map<String, String> types) {
        if (types.containsKey(sampleName)) {
            return sampleName;
        }
        for (String suffix : SUFFIXES) {
            if (sampleName.endsWith(suffix)) {
                return sampleName.substring(0, sampleName.length() - suffix.length());
            }
        }
        return sampleName;
    }

    private static Map<String, String> labels(int no, String line, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw bad(no, line, "malformed labels at '" + text.substring(at) + "'");
            }
            if (out.put(m.group(1), m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\")) != null) {
                throw bad(no, line, "label " + m.group(1) + " twice");
            }
            at = m.end();
        }
        return out;
    }

    private static double value(int no, String line, String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!NUMBER.matcher(text).matches()) {
                    throw bad(no, line, "value '" + text + "' is not a number");
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static IllegalArgumentException bad(int no, String line, String why) {
        return new IllegalArgumentException("line " + no + ": " + why + ": " + line);
    }
}
