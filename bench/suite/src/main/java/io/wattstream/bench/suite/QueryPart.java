package io.wattstream.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The query API benchmark (bench/query) in a short setting: 1M readings loaded with COPY, then each
 * endpoint under wrk. Latency figures, no ceiling: the SQL plans are in the part's log.
 */
final class QueryPart implements BenchSuite.Part {

    private static final String NUM = "([\\d,.]+)";
    private final Path rawDir;
    private final List<String> details = new ArrayList<>();

    QueryPart(Path rawDir) {
        this.rawDir = rawDir;
    }

    @Override
    public List<Figure> run() throws Exception {
        int seconds = Integer.getInteger("bench.query.seconds", 5);
        String text = ComponentParts.run("io.wattstream.bench.query.QueryBench",
                List.of("-Dbench.rows=" + Integer.getInteger("bench.query.rows", 1_000_000), "-Dbench.seconds=" + seconds),
                List.of(), rawDir.resolve("query.log"), Duration.ofMinutes(4));
        Output out = new Output(text);
        details.add("wrk for " + seconds + " s per endpoint and connection count after a 3 s warm-up, 1,000,000 rows "
                + "(10 devices, 1 reading/s each):");
        details.add("");
        details.add("```");
        out.lines("req/s").forEach(details::add);
        details.add("```");
        return List.of(endpoint(out, "query_latest_p99_ms", "latest/ \\(all devices\\)", "`/api/measurements/latest/`"),
                endpoint(out, "query_range_p99_ms", "one-hour range, one device \\(count \\+ page\\)",
                        "one hour of one device, `/api/measurements/?device=&start=&end=` (count + first page)"));
    }

    /**
     * The endpoint's row with the most connections (throughput; queueing shows in p99), and the
     * single-connection p99 (service time) when the benchmark measured one.
     */
    private static Figure endpoint(Output out, String name, String label, String what) {
        List<double[]> rows = out.all("^" + label + "\\s+(?:c=(\\d+)\\s+)?" + NUM + " req/s\\s+p50\\s+" + NUM + " ms\\s+p90\\s+"
                + NUM + " ms\\s+p99\\s+" + NUM + " ms");
        double[] r = rows.stream().max(java.util.Comparator.comparingDouble(x -> Double.isNaN(x[0]) ? 0 : x[0]))
                .orElseThrow(() -> new IllegalStateException("no result line for " + label));
        String single = rows.stream().filter(x -> x[0] == 1).findFirst()
                .map(x -> String.format(Locale.ROOT, "; 1 connection: p50 %s, p99 %s ms", Figure.fmt(x[2]), Figure.fmt(x[4])))
                .orElse("");
        String conns = Double.isNaN(r[0]) ? "16" : Figure.plain(r[0]);
        return Figure.of(name, r[4], "ms", String.format(Locale.ROOT, "%s on 1M rows, wrk with %s connections: %s req/s, p50 %s ms%s",
                what, conns, Figure.fmt(r[1]), Figure.fmt(r[2]), single));
    }

    @Override
    public List<String> details() {
        return details;
    }
}
