package io.wattstream.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The whole benchmark suite in one run (see {@code bench/run.sh}): a preflight line, then each part,
 * then one {@code name=value} line per figure and a Markdown table, also written to
 * {@code bench/results/}. Throughputs are ratios of medians against a ceiling measured side by side
 * in the same run, because these machines are shared and noisy.
 *
 * <p>Settings: {@code -Dbench.only=footprint,capacity,ingest,ws,streams,sink,query} (default: all),
 * {@code -Dbench.results=DIR} (bench/results), {@code -Dbench.jar=PATH} (the local stack's fat jar),
 * {@code -Dbench.jfr=true} (record the local stack with JFR).
 */
public final class BenchSuite {

    /** The published figures, in the order of the issue; every run prints each exactly once. */
    static final List<String> NAMES = List.of("ingest_rps", "ingest_ratio", "ws_connections", "ws_frames_per_s",
            "gateway_p99_ms", "e2e_raw_p99_ms",
            "e2e_sse_p99_ms", "e2e_row_p99_ms", "streams_rps", "streams_ratio", "streams_ceiling_ratio",
            "sink_rows_per_s", "sink_copy_ratio", "sink_insert_ratio", "query_latest_p99_ms", "query_range_p99_ms",
            "ready_s", "idle_mib", "load_mib", "pipeline_capacity_rps");

    interface Part {
        List<Figure> run() throws Exception;

        /** Markdown lines with the per-round figures behind the headline. */
        List<String> details();
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(System.getProperty("bench.results", "bench/results"));
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"));
        Path raw = results.resolve("raw").resolve(stamp);
        Files.createDirectories(raw);
        Path jar = Path.of(System.getProperty("bench.jar", "local-stack/target/wattstream-local.jar"));
        Set<String> only = Arrays.stream(System.getProperty("bench.only", "footprint,capacity,ingest,ws,streams,sink,query").split(","))
                .map(String::trim).collect(Collectors.toSet());

        long t0 = System.nanoTime();
        Preflight preflight = Preflight.take();
        System.out.println(preflight.line());

        Map<String, Part> parts = new LinkedHashMap<>();
        parts.put("footprint", new FootprintAndLatency(jar, raw));
        parts.put("capacity", new CapacityPart(jar, raw));
        parts.putAll(ComponentParts.all(raw));
        Map<String, Figure> figures = new LinkedHashMap<>();
        List<String> details = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Part> p : parts.entrySet()) {
            if (!only.contains(p.getKey())) {
                continue;
            }
            long s0 = System.nanoTime();
            System.out.println();
            System.out.println("== " + p.getKey());
            try {
                p.getValue().run().forEach(f -> figures.put(f.name(), f));
            } catch (Exception | AssertionError e) {
                failures.add(p.getKey() + ": " + e);
                System.err.println(p.getKey() + " FAILED: " + e);
                e.printStackTrace();
            }
            details.add("**" + p.getKey() + "** (" + String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - s0) / 1e9) + ")");
            details.add("");
            details.addAll(p.getValue().details());
            details.add("");
        }
        String end = preflight.endLine();
        double seconds = (System.nanoTime() - t0) / 1e9;

        System.out.println();
        for (String name : NAMES) {
            Figure f = figures.get(name);
            System.out.println(f != null ? f.line() : name + "=NaN");
        }
        String table = table(stamp, preflight.line(), end, seconds, figures, details, failures);
        System.out.println();
        System.out.print(table);
        Path file = results.resolve(stamp + ".md");
        Files.writeString(file, table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println("table written to " + file + "; logs of the parts in " + raw);
        if (!failures.isEmpty()) {
            System.err.println("FAILED parts: " + failures);
            System.exit(1);
        }
    }

    static String table(String stamp, String preflight, String during, double seconds, Map<String, Figure> figures,
                        List<String> details, List<String> failures) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run %s UTC, %.0f s in all, JDK %s.%n%n", stamp, seconds, Runtime.version()));
        md.append("- ").append(preflight).append('\n');
        md.append("- ").append(during).append("\n\n");
        md.append("| figure | value | rounds (min – max) | measured as / against | target | |\n");
        md.append("|---|---:|---:|---|---|---|\n");
        for (String name : NAMES) {
            Figure f = figures.get(name);
            if (f == null) {
                md.append("| `").append(name).append("` | not measured | | | | |\n");
                continue;
            }
            md.append(String.format(Locale.ROOT, "| `%s` | %s %s | %s | %s | %s | %s |%n", f.name(), Figure.fmt(f.value()),
                    f.unit(), f.spread(), f.context().replace("|", "\\|"), f.target(), f.verdict()));
        }
        if (!failures.isEmpty()) {
            md.append("\nFailed parts: ").append(String.join("; ", failures)).append('\n');
        }
        md.append('\n');
        details.forEach(l -> md.append(l).append('\n'));
        return md.toString();
    }

    private BenchSuite() {
    }
}
