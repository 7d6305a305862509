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
        String text = ChildJvm.run("io.wattstream.bench.query.QueryBench",
                List.of("-Dbench.rows=" + Integer.getInteger("bench.query.rows", 1_000_000), "-Dbench.seconds=" + seconds),
                List.of(), rawDir.resolve("query.log"), Duration.ofMinutes(4));
        Output out = new Output(text);
        details.add("wrk -c16 for " + seconds + " s per endpoint after a 3 s warm-up, 1,000,000 rows (10 devices, 1 reading/s each):");
        details.add("");
        details.add("```");
        out.lines("req/s").forEach(details::add);
        details.add("```");
        return List.of(endpoint(out, "query_latest_p99_ms", "latest/ \\(all devices\\)", "`/api/measurements/latest/`"),
                endpoint(out, "query_range_p99_ms", "one-hour range, one device \\(count \\+ page\\)",
                        "one hour of one device, `/api/measurements/?device=&start=&end=` (count + first page)"));
    }

    private static Figure endpoint(Output out, String name, String label, String what) {
        double[] r = out.all("^" + label + "\\s+" + NUM + " req/s\\s+p50\\s+" + NUM + " ms\\s+p90\\s+" + NUM + " ms\\s+p99\\s+" + NUM + " ms")
                .stream().findFirst().orElseThrow(() -> new IllegalStateException("no result line for " + label));
        return Figure.of(name, r[3], "ms", String.format(Locale.ROOT, "%s on 1M rows: %s req/s, p50 %s ms (wrk, 16 connections)",
                what, Figure.fmt(r[0]), Figure.fmt(r[1])));
    }

    @Override
    public List<String> details() {
        return details;
    }
}
