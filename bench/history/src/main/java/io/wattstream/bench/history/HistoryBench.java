package io.wattstream.bench.history;

import io.wattstream.bench.query.QueryBench;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.query.QueryApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Does the cost of a query grow with history? Generates readings with {@code generate_series}
 * straight into the partitioned {@code measurement} table (default 100 devices, evenly over the
 * last 60 days, one daily partition per day, ending now), once with 1 million rows and once with 50
 * million, each in a fresh embedded PostgreSQL, and measures with one client (sequential requests
 * over 127.0.0.1) {@code /api/measurements/latest/} and a one-hour range of one device 30 days back
 * (count + first page). Prints p50 and p99 of each side by side.
 *
 * <p>Settings (system properties): {@code bench.sizes} ("1000000,50000000"), {@code bench.devices}
 * (100), {@code bench.days} (60, inside the raw readings' 90-day retention), {@code bench.requests}
 * measured per endpoint (5000, after 1000 to warm up).
 */
public final class HistoryBench {

    private record Result(long rows, int partitions, String size, double loadSeconds, Map<String, double[]> latencies) {
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1000000,50000000").split(","))
                .map(String::trim).mapToLong(Long::parseLong).toArray();
        int devices = Integer.getInteger("bench.devices", 100);
        int days = Integer.getInteger("bench.days", 60);
        int requests = Integer.getInteger("bench.requests", 5000);
        System.out.printf("History benchmark: %s rows, %d devices over %d days, %d requests per endpoint, one client, %d CPUs%n",
                Arrays.toString(sizes), devices, days, requests, Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        for (long rows : sizes) {
            results.add(run(rows, devices, days, requests));
        }
        print(results);
    }

    private static Result run(long rows, int devices, int days, int requests) throws Exception {
        try (Infrastructure infra = Infrastructure.builder().partitions(1).start()) {
            EmbeddedPostgres pg = infra.postgres();
            Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            long t0 = System.nanoTime();
            int partitions = generate(pg, rows, devices, days, end);
            double load = (System.nanoTime() - t0) / 1e9;
            Instant hourEnd = end.minus(Duration.ofDays(30));
            String range = "/api/measurements/?device=dev-7&start=" + hourEnd.minus(Duration.ofHours(1)) + "&end=" + hourEnd;
            Map<String, double[]> latencies = new LinkedHashMap<>();
            try (QueryApp api = QueryApp.start(QueryBench.apiConfig(pg, infra.kafka()))) {
                String base = "http://127.0.0.1:" + api.port();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                latencies.put("/api/measurements/latest/", measure(http, base + "/api/measurements/latest/", requests));
                latencies.put("one-hour range of one device", measure(http, base + range, requests));
            }
            return new Result(rows, partitions, tableSize(pg), load, latencies);
        }
    }

    /**
     * Creates the day partitions first (so nothing lands in DEFAULT), then fills one day per
     * statement: readings of every device at an even interval, ending now.
     */
    private static int generate(EmbeddedPostgres pg, long rows, int devices, int days, Instant end) throws Exception {
        Instant start = end.minus(Duration.ofDays(days));
        double everySeconds = (double) days * 86_400 * devices / rows;
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("select history_ensure_partition('measurement', d) from generate_series('" + start + "'::timestamptz, '"
                    + end + "'::timestamptz, interval '1 day') d");
            for (int day = 0; day < days; day++) {
                Instant from = start.plus(Duration.ofDays(day));
                Instant to = day == days - 1 ? end : from.plus(Duration.ofDays(1));
                s.execute(String.format(java.util.Locale.ROOT, """
                        insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at, source,
                                                 freq, pf, temperature_c, output, energy_delta_wh, over_threshold, device_name, site)
                        select 'dev-' || d, t + d * interval '1 millisecond', 3000 + (d * 7 + extract(epoch from t)::bigint) %% 900,
                               230.1, 14.2, extract(epoch from t) / 1000, t + interval '40 ms', 'NOTIFY_FULL_STATUS', 50.0, 0.99,
                               41.5, true, 0.5, false, 'Charger ' || d, 'Depot'
                        from generate_series('%s'::timestamptz, '%s'::timestamptz - interval '1 microsecond', interval '%.6f seconds') t,
                             generate_series(0, %d) d
                        """, from, to, everySeconds, devices - 1));
                if (day % 10 == 9) {
                    System.out.printf("  %,d rows: %d of %d days generated%n", rows, day + 1, days);
                }
            }
            s.execute("vacuum (freeze, analyze) measurement");
            try (ResultSet rs = s.executeQuery("select count(*) from history_partitions('measurement')")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String tableSize(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), pg_size_pretty(sum(pg_total_relation_size(partition_name::regclass))) "
                     + "from history_partitions('measurement')")) {
            rs.next();
            return rs.getString(2);
        }
    }

    /** Sequential GETs: 1000 to warm up (JIT, plans, pool), then {@code n} measured; sorted latencies in ms. */
    private static double[] measure(HttpClient http, String url, int n) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).GET().build();
        HttpResponse<String> first = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200 || first.body().length() < 100) {
            throw new IllegalStateException(url + " answered " + first.statusCode() + ": " + first.body());
        }
        for (int i = 0; i < 1000; i++) {
            http.send(req, HttpResponse.BodyHandlers.discarding());
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static void print(List<Result> results) {
        StringBuilder head = new StringBuilder(String.format("%n%-32s", ""));
        for (Result r : results) {
            head.append(String.format("%24s", String.format("%,d rows", r.rows())));
        }
        System.out.println(head);
        StringBuilder parts = new StringBuilder(String.format("%-32s", "partitions, size on disk"));
        StringBuilder load = new StringBuilder(String.format("%-32s", "generated in"));
        for (Result r : results) {
            parts.append(String.format("%24s", r.partitions() + ", " + r.size()));
            load.append(String.format("%24s", String.format("%.0f s", r.loadSeconds())));
        }
        System.out.println(parts);
        System.out.println(load);
        for (String endpoint : results.get(0).latencies().keySet()) {
            StringBuilder line = new StringBuilder(String.format("%-32s", endpoint));
            for (Result r : results) {
                double[] ms = r.latencies().get(endpoint);
                line.append(String.format("%24s", String.format("p50 %.2f  p99 %.2f ms", percentile(ms, 50), percentile(ms, 99))));
            }
            System.out.println(line);
        }
        System.out.println("(one client, sequential requests over 127.0.0.1; load average " + QueryBench.loadAverage() + ")");
    }

    private HistoryBench() {
    }
}
