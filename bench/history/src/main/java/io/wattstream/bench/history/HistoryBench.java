package io.wattstream.bench.history;

import io.wattstream.bench.query.QueryBench;
import io.wattstream.bench.query.Wrk;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.embedded.harness.CpuClock;
import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.query.QueryApp;
import io.wattstream.query.db.MeasurementRow;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Does the cost of a query grow with history? Generates readings with {@code generate_series}
 * straight into the partitioned {@code measurement} table (default 100 devices, evenly over the
 * last 60 days, one daily partition per day, ending now), once with 1 million rows and once with 50
 * million, each in a fresh embedded PostgreSQL, prints the plans (EXPLAIN ANALYZE) of the SQL behind
 * {@code /api/measurements/latest/} and a one-hour range of one device 30 days back (count + first
 * page) and that SQL's own p50/p99 from JDBC, and measures both endpoints over 127.0.0.1: with one client (sequential requests, the JVM's GC over
 * them counted), then with 16 (wrk, after a warm-up) and the database's share of the CPU spent
 * meanwhile: PostgreSQL's CPU time / (PostgreSQL's + this JVM's, which runs the query API). Prints
 * the figures of each size side by side.
 *
 * <p>Settings (system properties): {@code bench.sizes} ("1000000,50000000"), {@code bench.devices}
 * (100), {@code bench.days} (60, inside the raw readings' 90-day retention), {@code bench.requests}
 * measured per endpoint with one client (5000, after 1000 to warm up), {@code bench.clients} (16),
 * {@code bench.seconds} of wrk per endpoint (10, after 3 to warm up), {@code bench.threads} of wrk (2).
 */
public final class HistoryBench {

    private record Result(long rows, int partitions, String size, double loadSeconds, Map<String, Sequential> oneClient,
                          Map<String, Concurrent> clients) {
    }

    /** Sorted latencies in ms of one client's requests, and the JVM's collections meanwhile. */
    private record Sequential(double[] ms, long gcCount, long gcMillis) {
    }

    /** A wrk run and the CPU that PostgreSQL and this JVM (query API, idle broker) spent during it. */
    private record Concurrent(Wrk.Result wrk, long postgresNanos, long jvmNanos) {

        double databaseShare() {
            return (double) postgresNanos / (postgresNanos + jvmNanos);
        }

        double postgresMsPerRequest() {
            return postgresNanos / 1e6 / wrk.requests();
        }

        double jvmMsPerRequest() {
            return jvmNanos / 1e6 / wrk.requests();
        }
    }

    private record Settings(int devices, int days, int requests, int clients, int seconds, int threads) {
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1000000,50000000").split(","))
                .map(String::trim).mapToLong(Long::parseLong).toArray();
        int devices = Integer.getInteger("bench.devices", 100);
        int days = Integer.getInteger("bench.days", 60);
        int requests = Integer.getInteger("bench.requests", 5000);
        Settings set = new Settings(devices, days, requests, Integer.getInteger("bench.clients", 16),
                Integer.getInteger("bench.seconds", 10), Integer.getInteger("bench.threads", 2));
        System.out.printf("History benchmark: %s rows, %d devices over %d days, per endpoint %d requests with one client, "
                        + "then wrk -c%d for %d s, %d CPUs%n", Arrays.toString(sizes), devices, days, requests, set.clients(),
                set.seconds(), Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        for (long rows : sizes) {
            results.add(run(rows, set));
        }
        print(results, set);
    }

    private static Result run(long rows, Settings set) throws Exception {
        try (Infrastructure infra = Infrastructure.builder().partitions(1).start()) {
            EmbeddedPostgres pg = infra.postgres();
            Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            long t0 = System.nanoTime();
            int partitions = generate(pg, rows, set.devices(), set.days(), end);
            double load = (System.nanoTime() - t0) / 1e9;
            Instant hourEnd = end.minus(Duration.ofDays(30));
            Instant hourStart = hourEnd.minus(Duration.ofHours(1));
            explain(pg, end, hourStart, hourEnd);
            Map<String, String> paths = new LinkedHashMap<>();
            paths.put("/api/measurements/latest/", "/api/measurements/latest/");
            paths.put("one-hour range of one device", "/api/measurements/?device=dev-7&start=" + hourStart + "&end=" + hourEnd);
            Map<String, Sequential> oneClient = new LinkedHashMap<>();
            Map<String, Concurrent> clients = new LinkedHashMap<>();
            CpuClock cpu = new CpuClock(pg.dataDir());
            try (QueryApp api = QueryApp.start(QueryBench.apiConfig(pg, infra.kafka()))) {
                String base = "http://127.0.0.1:" + api.port();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (Map.Entry<String, String> e : paths.entrySet()) {
                    oneClient.put(e.getKey(), measure(http, base + e.getValue(), set.requests()));
                }
                for (Map.Entry<String, String> e : paths.entrySet()) {
                    clients.put(e.getKey(), concurrent(cpu, base + e.getValue(), set));
                }
            }
            return new Result(rows, partitions, tableSize(pg), load, oneClient, clients);
        }
    }

    /** The SQL the query API runs for both endpoints (latest/ looks at the last day first), with its plan and time. */
    private static void explain(EmbeddedPostgres pg, Instant now, Instant hourStart, Instant hourEnd) throws Exception {
        String select = "select " + MeasurementRow.COLUMNS + " from measurement where ";
        String order = " order by \"timestamp\" desc, device_id desc limit 10 offset 0";
        String range = "device_id = 'dev-7' and \"timestamp\" >= '" + hourStart + "' and \"timestamp\" <= '" + hourEnd + "'";
        Map<String, String> sql = new LinkedHashMap<>();
        sql.put("latest/ (the last day)", select + "\"timestamp\" >= '" + now.minus(Duration.ofDays(1)) + "'" + order);
        sql.put("one-hour range of one device: count", "select count(*) from measurement where " + range);
        sql.put("one-hour range of one device: page 1", select + range + order);
        QueryBench.explain(pg, sql);
        String bound = " order by \"timestamp\" desc, device_id desc limit 10 offset 0";
        sqlAlone(pg, "latest/ (the last day)", select + "\"timestamp\" >= ?" + bound, now.minus(Duration.ofDays(1)));
        sqlAlone(pg, "one-hour range of one device: page 1",
                select + "device_id = 'dev-7' and \"timestamp\" >= ? and \"timestamp\" <= ?" + bound, hourStart, hourEnd);
    }

    /**
     * The SQL alone, prepared and bound as the query API runs it, from one JDBC connection: 1000
     * executions to warm up, then 5000 measured; prints p50/p99 and whether PostgreSQL planned it
     * each time (custom plans) or reused a generic plan.
     */
    private static void sqlAlone(EmbeddedPostgres pg, String label, String sql, Instant... times) throws Exception {
        double[] ms = new double[5000];
        try (Connection c = pg.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < times.length; i++) {
                ps.setObject(i + 1, times[i].atOffset(ZoneOffset.UTC));
            }
            for (int i = -1000; i < ms.length; i++) {
                long t0 = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            Arrays.sort(ms);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) from pg_prepared_statements")) {
                rs.next();
                System.out.printf(Locale.ROOT, "%nSQL alone (JDBC, prepared, one connection) -- %s: p50 %.2f  p99 %.2f ms; "
                        + "plans: %d generic, %d custom%n", label, percentile(ms, 50), percentile(ms, 99), rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** wrk with {@code set.clients()} connections: a warm-up, then a measured run with the CPU clocks read around it. */
    private static Concurrent concurrent(CpuClock cpu, String url, Settings set) throws Exception {
        int threads = Math.min(set.threads(), set.clients());
        Wrk.run(url, 3, threads, set.clients());
        long pg0 = cpu.postgresNanos();
        long jvm0 = cpu.jvmNanos();
        Wrk.Result r = Wrk.run(url, set.seconds(), threads, set.clients());
        long jvm = cpu.jvmNanos() - jvm0;
        long pg = cpu.postgresNanos() - pg0;
        if (!r.errors().isEmpty() || r.requests() == 0) {
            throw new IllegalStateException(url + " under wrk: " + r);
        }
        return new Concurrent(r, pg, jvm);
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

    /** Sequential GETs: 1000 to warm up (JIT, plans, pool), then {@code n} measured. */
    private static Sequential measure(HttpClient http, String url, int n) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).GET().build();
        HttpResponse<String> first = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (first.statusCode() != 200 || first.body().length() < 100) {
            throw new IllegalStateException(url + " answered " + first.statusCode() + ": " + first.body());
        }
        for (int i = 0; i < 1000; i++) {
            http.send(req, HttpResponse.BodyHandlers.discarding());
        }
        long[] gc0 = gc();
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
        }
        long[] gc = gc();
        Arrays.sort(ms);
        return new Sequential(ms, gc[0] - gc0[0], gc[1] - gc0[1]);
    }

    /** This JVM's collections so far: count and milliseconds, over all collectors. */
    private static long[] gc() {
        long[] r = new long[2];
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            r[0] += Math.max(0, b.getCollectionCount());
            r[1] += Math.max(0, b.getCollectionTime());
        }
        return r;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static final int LABEL = 34;
    private static final int COLUMN = 44;

    private static void print(List<Result> results, Settings set) {
        System.out.println();
        line("", results, r -> String.format(Locale.ROOT, "%,d rows", r.rows()));
        line("partitions, size on disk", results, r -> r.partitions() + ", " + r.size());
        line("generated in", results, r -> String.format(Locale.ROOT, "%.0f s", r.loadSeconds()));
        for (String endpoint : results.get(0).oneClient().keySet()) {
            System.out.println(endpoint);
            line("  1 client", results, r -> {
                Sequential q = r.oneClient().get(endpoint);
                return String.format(Locale.ROOT, "p50 %.2f  p99 %.2f ms (GC %d, %d ms)",
                        percentile(q.ms(), 50), percentile(q.ms(), 99), q.gcCount(), q.gcMillis());
            });
            line("  " + set.clients() + " clients", results, r -> {
                Wrk.Result w = r.clients().get(endpoint).wrk();
                return String.format(Locale.ROOT, "p50 %.2f  p99 %.2f ms, %,.0f req/s", w.p50(), w.p99(), w.requestsPerSecond());
            });
            line("  database share of CPU", results, r -> {
                Concurrent c = r.clients().get(endpoint);
                return String.format(Locale.ROOT, "%.0f %% (%.3f of %.3f ms/request)", 100 * c.databaseShare(),
                        c.postgresMsPerRequest(), c.postgresMsPerRequest() + c.jvmMsPerRequest());
            });
        }
        System.out.println("(127.0.0.1; 1 client: sequential requests, JDK HTTP client in the API's JVM; " + set.clients()
                + " clients: wrk -t" + Math.min(set.threads(), set.clients()) + " for " + set.seconds()
                + " s; database share: PostgreSQL CPU / (PostgreSQL + the API's JVM), wrk not counted; load average "
                + QueryBench.loadAverage() + ")");
    }

    private static void line(String label, List<Result> results, java.util.function.Function<Result, String> cell) {
        StringBuilder line = new StringBuilder(String.format("%-" + LABEL + "s", label));
        for (Result r : results) {
            line.append(String.format("%" + COLUMN + "s", cell.apply(r)));
        }
        System.out.println(line);
    }

    private HistoryBench() {
    }
}
