package io.wattstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The provisioned Grafana dashboards ({@code deploy/grafana/dashboards}) and what their panels query. */
final class GrafanaDashboards {

    static final Path GRAFANA = Path.of("..", "deploy", "grafana").toAbsolutePath().normalize();
    static final Path DASHBOARDS = GRAFANA.resolve("dashboards");
    /** In the dashboards' PromQL a metric name is always followed by its label braces. */
    private static final Pattern METRIC = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");

    /** One query of one panel (or template variable), with where it comes from. */
    record Query(String where, String datasourceUid, String text) {
    }

    private GrafanaDashboards() {
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.list(DASHBOARDS)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + file, e);
        }
    }

    /** Every query of every dashboard: panel targets ({@code rawSql} or {@code expr}) and variables. */
    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path file : files()) {
            JsonNode d = read(file);
            String name = file.getFileName().toString();
            for (JsonNode v : d.path("templating").path("list")) {
                if (v.has("query")) {
                    out.add(new Query(name + " variable " + v.path("name").asText(), v.path("datasource").path("uid").asText(),
                            v.path("query").asText()));
                }
            }
            for (JsonNode panel : panels(d)) {
                for (JsonNode t : panel.path("targets")) {
                    String uid = t.path("datasource").path("uid").asText(panel.path("datasource").path("uid").asText());
                    String text = t.has("rawSql") ? t.path("rawSql").asText() : t.path("expr").asText();
                    out.add(new Query(name + " panel '" + panel.path("title").asText() + "' " + t.path("refId").asText(), uid, text));
                }
            }
        }
        return out;
    }

    /** Panels, those inside collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    /** The metric names the Prometheus queries read ({@code up} is Prometheus' own). */
    static Set<String> prometheusMetrics(String prometheusUid) {
        Set<String> names = new TreeSet<>();
        for (Query q : queries()) {
            if (q.datasourceUid().equals(prometheusUid)) {
                Matcher m = METRIC.matcher(q.text());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        names.remove("up");
        return names;
    }
}
