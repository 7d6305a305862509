package io.wattstream.bench.query;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.kit.access.ApiTokens;
import io.wattstream.query.QueryApp;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * Query API benchmark: loads readings with COPY into embedded PostgreSQL (default 1,000,000 over
 * 10 devices, one per second each, ending now), prints the query plans (EXPLAIN ANALYZE) of the
 * SQL behind each measured endpoint, then drives each endpoint with wrk over 127.0.0.1 and prints
 * requests/s and p50/p90/p99. The range 2-3 hours back is settled history, so the API reuses its
 * count between pages for a minute; the last hour reaches the present and is counted every time.
 *
 * <p>Settings (system properties): {@code bench.rows} (1000000), {@code bench.devices} (10),
 * {@code bench.seconds} per endpoint and connection count (10), {@code bench.connections} (a list,
 * "1,16"), {@code bench.threads} (2).
 */
public final class QueryBench {

    private static final String COLUMNS = "device_id, \"timestamp\", power, voltage, current, energy, received_at, "
            + "source, freq, pf, temperature_c, output, energy_delta_wh, counter_reset, over_threshold, device_name, site";

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        int devices = Integer.getInteger("bench.devices", 10);
        int seconds = Integer.getInteger("bench.seconds", 10);
        // 1 connection shows the service time; 16 show throughput and queueing on 2 cores.
        int[] connectionCounts = java.util.Arrays.stream(System.getProperty("bench.connections", "1,16").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int threads = Integer.getInteger("bench.threads", 2);
        System.out.printf("Query API benchmark: %,d readings, %d devices, %d s per endpoint, wrk -t%d, connections %s, %d CPUs%n",
                rows, devices, seconds, threads, java.util.Arrays.toString(connectionCounts),
                Runtime.getRuntime().availableProcessors());

        try (Infrastructure infra = Infrastructure.builder().partitions(1).start()) {
            EmbeddedPostgres pg = infra.postgres();
            EmbeddedKafka kafka = infra.kafka();
            Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            int perDevice = rows / devices;
            load(pg, devices, perDevice, end);
            Instant hourEnd = end.minus(2, ChronoUnit.HOURS);
            Instant hourStart = hourEnd.minus(1, ChronoUnit.HOURS);

            Map<String, String> sql = new LinkedHashMap<>();
            String cols = "power, voltage, current, energy, \"timestamp\", device_id, received_at, source, freq, pf, "
                    + "temperature_c, output, energy_delta_wh, counter_reset, over_threshold, device_name, site";
            sql.put("latest/ (all devices, limit 10)", "select " + cols
                    + " from measurement order by \"timestamp\" desc, device_id desc limit 10");
            sql.put("latest/?device=dev-3 (limit 10)", "select " + cols
                    + " from measurement where device_id = 'dev-3' order by \"timestamp\" desc, device_id desc limit 10");
            String range = " where device_id = 'dev-3' and \"timestamp\" >= '" + hourStart + "' and \"timestamp\" <= '" + hourEnd + "'";
            sql.put("one hour, one device: count", "select count(*) from measurement" + range);
            sql.put("one hour, one device: page 1", "select " + cols + " from measurement" + range
                    + " order by \"timestamp\" desc, device_id desc limit 10 offset 0");
            String rangeAll = " where \"timestamp\" >= '" + hourStart + "' and \"timestamp\" <= '" + hourEnd + "'";
            sql.put("one hour, all devices: count", "select count(*) from measurement" + rangeAll);
            sql.put("one hour, all devices: page 1", "select " + cols + " from measurement" + rangeAll
                    + " order by \"timestamp\" desc, device_id desc limit 10 offset 0");
            explain(pg, sql);

            try (QueryApp api = QueryApp.start(apiConfig(pg, kafka))) {
                String base = "http://127.0.0.1:" + api.port();
                Map<String, String> targets = new LinkedHashMap<>();
                targets.put("latest/ (all devices)", base + "/api/measurements/latest/");
                targets.put("latest/?device=dev-3", base + "/api/measurements/latest/?device=dev-3");
                targets.put("one-hour range, one device (count + page)", base + "/api/measurements/?device=dev-3&start="
                        + hourStart + "&end=" + hourEnd);
                targets.put("one-hour range, all devices (count + page)", base + "/api/measurements/?start="
                        + hourStart + "&end=" + hourEnd);
                // Reaches the present, so the count is never reused: every request counts 36,000 rows.
                targets.put("last hour, all devices (exact count each time)", base + "/api/measurements/?start="
                        + end.minus(1, ChronoUnit.HOURS));
                List<String> report = new ArrayList<>();
                for (Map.Entry<String, String> t : targets.entrySet()) {
                    check(t.getValue());
                    Wrk.run(t.getValue(), 3, threads, connectionCounts[connectionCounts.length - 1]); // warm-up: JIT, plans, pool
                    for (int c : connectionCounts) {
                        report.add(String.format("%-48s c=%-3d %s", t.getKey(), c,
                                Wrk.run(t.getValue(), seconds, Math.min(threads, c), c)));
                    }
                }
                System.out.println();
                System.out.println("Results (wrk, 127.0.0.1; load average now " + loadAverage()
                        + " -- other processes on this machine distort p99):");
                report.forEach(System.out::println);
            }
        }
    }

    /**
     * The query API on a free loopback port over the embedded parts, without a stream processor; reads
     * are open (the service needs an admin token to start, which no request here uses).
     */
    public static Config apiConfig(EmbeddedPostgres pg, EmbeddedKafka kafka) {
        return Config.builder(ConfigSources.create(Map.of(
                        "server.host", "127.0.0.1",
                        "server.port", "0",
                        "app.postgres.jdbc-url", pg.jdbcUrl(),
                        "app.postgres.user", pg.user(),
                        "app.postgres.password", pg.password(),
                        "app.kafka.bootstrap", kafka.bootstrapServers(),
                        "app.state.url", "http://127.0.0.1:9",
                        "app.auth.admin-token", ApiTokens.generate(),
                        "app.auth.open-reads", "true")))
                .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build();
    }

    /** The machine's load average, printed beside figures that other processes distort. */
    public static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** COPY from a generated stream: no file, constant memory. */
    private static void load(EmbeddedPostgres pg, int devices, int perDevice, Instant end) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = pg.dataSource().getConnection()) {
            long n = ((PGConnection) c).getCopyAPI().copyIn("copy measurement (" + COLUMNS + ") from stdin with (format csv)",
                    new Rows(devices, perDevice, end));
            try (Statement s = c.createStatement()) {
                s.execute("vacuum (freeze, analyze) measurement"); // visibility map for index-only counts, fresh statistics
            }
            System.out.printf("Loaded %,d readings with COPY in %.1f s (incl. VACUUM ANALYZE)%n", n,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Prints EXPLAIN (ANALYZE, BUFFERS) of each query, under its label. */
    public static void explain(EmbeddedPostgres pg, Map<String, String> queries) throws Exception {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                System.out.println();
                System.out.println("EXPLAIN ANALYZE -- " + q.getKey());
                try (ResultSet rs = s.executeQuery("explain (analyze, buffers) " + q.getValue())) {
                    while (rs.next()) {
                        System.out.println("  " + rs.getString(1));
                    }
                }
            }
        }
    }

    private static void check(String url) throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + res.statusCode() + ": " + res.body());
        }
        Matcher count = Pattern.compile("\"count\":(\\d+)").matcher(res.body());
        System.out.printf("%nGET %s -> 200, %d bytes%s%n", url, res.body().length(),
                count.find() ? ", count " + count.group(1) : "");
    }

    /** The CSV rows of the load, generated on demand. */
    private static final class Rows extends Reader {
        private final int devices;
        private final int perDevice;
        private final Instant end;
        private int device;
        private int i;
        private final StringBuilder buf = new StringBuilder();
        private int pos;

        Rows(int devices, int perDevice, Instant end) {
            this.devices = devices;
            this.perDevice = perDevice;
            this.end = end;
        }

        @Override
        public int read(char[] cbuf, int off, int len) {
            if (pos == buf.length()) {
                buf.setLength(0);
                pos = 0;
                for (int k = 0; k < 1000 && device < devices; k++) {
                    row();
                }
                if (buf.isEmpty()) {
                    return -1;
                }
            }
            int n = Math.min(len, buf.length() - pos);
            buf.getChars(pos, pos + n, cbuf, off);
            pos += n;
            return n;
        }

        private void row() {
            // One reading per second per device, the newest at "end"; a little jitter in the values.
            Instant ts = end.minusSeconds(perDevice - 1 - i).plusNanos(device * 1000L);
            double power = 800 + (i * 37 + device * 101) % 3000;
            buf.append("dev-").append(device).append(',').append(ts).append(',').append(power).append(",230.4,")
                    .append(Math.round(power / 230.4 * 1000) / 1000.0).append(',').append(1_000_000 + i * 0.3).append(',')
                    .append(ts.plusMillis(2)).append(",NOTIFY_STATUS,50.0,0.98,41.5,true,0.3,false,")
                    .append(power > 3500).append(",Charger ").append(device).append(",Depot\n");
            if (++i == perDevice) {
                i = 0;
                device++;
            }
        }

        @Override
        public void close() throws IOException {
        }
    }

    private QueryBench() {
    }
}
