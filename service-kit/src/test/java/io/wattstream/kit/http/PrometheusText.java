package io.wattstream.kit.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), shared by the tests of
 * every service that serves {@code /observe/metrics}: every line is a comment, a {@code # HELP}/
 * {@code # TYPE} line or a sample {@code name{label="value",...} value [timestamp]}; one TYPE per
 * family, before its samples; the samples of a family together. Anything else is an
 * {@link IllegalArgumentException} naming the line.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")( .*)?");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {

        /** The series: name and labels, as one string. */
        public String series() {
            return labels.isEmpty() ? name : name + labels;
        }
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
        Set<String> closed = new HashSet<>();
        String family = null;
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
                if (family != null) {
                    closed.add(family);
                }
                family = m.group(1);
            } else if (HELP.matcher(line).matches()) {
                continue;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                Sample sample = new Sample(name, labels(no, line, m.group(3)), value(no, line, m.group(4)));
                if (family == null) {
                    throw bad(no, line, "sample before any # TYPE");
                }
                if (!name.startsWith(family)) {
                    String earlier = types.keySet().stream().filter(name::startsWith).findFirst().orElse(null);
                    throw bad(no, line, earlier != null && closed.contains(earlier)
                            ? "family " + earlier + " continued after another"
                            : "sample outside its family " + family);
                }
                samples.add(sample);
            } else {
                throw bad(no, line, "neither a comment nor a sample");
            }
        }
        return new PrometheusText(samples, types);
    }

    /** Fails with the offending line when {@code text} is not valid exposition format. */
    public static void assertValid(String text) {
        parse(text);
    }

    /** Every sample's series (name and labels), one entry per sample line. */
    public static List<String> series(String text) {
        return parse(text).samples().stream().map(Sample::series).toList();
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
