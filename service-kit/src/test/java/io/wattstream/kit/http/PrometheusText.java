package io.wattstream.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Prometheus text exposition format 0.0.4: every line a comment, a {@code # HELP}/{@code # TYPE}
 * line or a sample {@code name{labels} value}; one TYPE per family, before its samples; samples of a
 * family together. Shared by the tests of every service that exposes metrics.
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "(" + NAME.pattern() + ")(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})?"
                    + " (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME.pattern() + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME.pattern() + ") .*");

    private PrometheusText() {
    }

    /** Every sample's name and labels, one entry per series. */
    public static List<String> series(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                out.add(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
            }
        }
        return out;
    }

    /** Fails with the offending line when {@code text} is not valid exposition format. */
    public static void assertValid(String text) {
        Set<String> typed = new HashSet<>();
        Set<String> closed = new HashSet<>();
        String family = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertThat(typed.add(type.group(1))).as("second TYPE for " + line).isTrue();
                if (family != null) {
                    closed.add(family);
                }
                family = type.group(1);
                continue;
            }
            if (HELP.matcher(line).matches() || line.startsWith("# ")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("not a sample line: " + line).isTrue();
            String name = sample.group(1);
            assertThat(family).as("sample before any TYPE: " + line).isNotNull();
            assertThat(name.startsWith(family)).as("sample outside its family " + family + ": " + line).isTrue();
            assertThat(closed).as("family continued after another: " + line).doesNotContain(family);
        }
    }
}
