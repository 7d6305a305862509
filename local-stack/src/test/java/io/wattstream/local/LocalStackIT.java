package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wattstream.kit.http.PrometheusText;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole stack in this JVM on a persistent data directory and free ports: every sample shape
 * flows from the webhook to every place a user looks, alerts and windows land, bad input stores
 * nothing, and a restart on the same directory keeps everything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final Path SAMPLES = Path.of("..", "gateway", "src", "test", "resources", "samples");
    private static final String SAMPLE_DEVICE = "shellypro1pm-a8032ab1c2d3";

    private static Path dataDir;
    private static Options options;
    private static LocalStack stack;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Reads the live feeds: off the thread that opened them, even when the response is already there. */
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();
    private static final StackClient CLIENT = new StackClient(() -> stack);
    private static final List<String> sseLines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        dataDir = Files.createTempDirectory("wattstream-local-it-");
        options = Options.parse(new String[] {"--data-dir", dataDir.toString(), "--gateway-port", "0", "--query-port", "0", "--origin-port", "0",
                "--connect-port", "0", "--state-port", "0", "--notifier-port", "0", "--kafka-port", "0", "--postgres-port", "0"},
                Map.of("RETENTION_RAW", "30d"));
        stack = LocalStack.start(options, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        openSse();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        io.wattstream.embedded.Dirs.deleteRecursively(dataDir);
    }

    @Test
    @Order(1)
    void everySampleShapeReachesTopicsTableApiAndLiveFeed() throws Exception {
        String[] shapes = {"flat-post.json", "flat-get.txt", "flat-post-device.json", "notify-full-status.json",
                "notify-status.json", "switch-status-post.json", "shelly-action-url.txt"};
        for (String shape : shapes) {
            HttpResponse<String> r = sendSample(shape);
            assertThat(r.statusCode()).as(shape + ": " + r.body()).isEqualTo(200);
        }
        Set<String> expectedSources = Set.of("FLAT_POST", "FLAT_GET", "NOTIFY_FULL_STATUS", "NOTIFY_STATUS",
                "SWITCH_STATUS", "SHELLY_ACTION");
        await("every shape on the raw topic", () -> sources(stack.rawTopic()).containsAll(expectedSources));
        await("every shape on shelly.readings", () -> sources("shelly.readings").containsAll(expectedSources));
        await("every shape in the measurement table", () -> query(
                "select distinct source from measurement").containsAll(expectedSources));
        String latest = get("/api/measurements/latest/?limit=100");
        assertThat(latest).contains(SAMPLE_DEVICE, "\"source\":\"NOTIFY_STATUS\"", "\"default\"");
        await("the readings on the live feed", () -> sseLines.stream().anyMatch(l -> l.contains(SAMPLE_DEVICE))
                && sseLines.stream().anyMatch(l -> l.startsWith("event:") && l.contains("reading")));
        // The partial (only apower and current) was overlaid on the device's last full status: it keeps its own
        // power and current and takes voltage and energy from the base, so no field is missing.
        assertThat(query("select power || ' ' || current || ' ' || (voltage > 0) || ' ' || (energy > 0) "
                + "from measurement where source = 'NOTIFY_STATUS'")).containsExactly("3604.9 15.69 true true");
    }

    @Test
    @Order(2)
    void overThresholdReadingRaisesAnAlertEverywhere() throws Exception {
        assertThat(post("/webhook/it-alert-1", "{\"power\":5200,\"voltage\":229,\"current\":22.7,\"energy\":100}")
                .statusCode()).isEqualTo(200);
        await("a RAISED alert on shelly.alerts", () -> values("shelly.alerts").stream()
                .anyMatch(v -> v.contains("it-alert-1") && v.contains("RAISED")));
        await("the alert row", () -> query("select state from alert where device_id = 'it-alert-1'").contains("RAISED"));
        await("the alert in the API", () -> get("/api/alerts/?device=it-alert-1").contains("RAISED"));
        await("the alert on the live feed", () -> sseLines.stream().anyMatch(l -> l.contains("it-alert-1")
                && l.contains("POWER_OVER_THRESHOLD")));
    }

    @Test
    @Order(3)
    void aClosedOneMinuteWindowLandsInMeasurement1m() throws Exception {
        // Device times a little ahead (plausible up to 5 minutes): past readings could already be beyond the
        // grace of a partition whose stream time other devices moved on.
        Instant minute = Instant.now().plus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        for (int i = 0; i < 3; i++) {
            postAt("it-window-1", 100 + i * 100, 1000 + i, minute.plusSeconds(5 + i * 10));
        }
        // Event time moves two minutes on: the first window is past its 30 s grace and closes.
        postAt("it-window-1", 50, 1010, minute.plus(2, ChronoUnit.MINUTES));
        await("the closed window row", () -> !query("select count from measurement_1m where device_id = 'it-window-1' "
                + "and window_start = '" + minute + "'").isEmpty());
        assertThat(query("select count || ':' || power_min || ':' || power_max || ':' || power_avg from measurement_1m "
                + "where device_id = 'it-window-1' and window_start = '" + minute + "'")).containsExactly("3:100:300:200");
    }

    @Test
    @Order(4)
    void badInputGets4xxAndStoresNothing() throws Exception {
        long before = endOffsets(stack.rawTopic());
        for (String bad : List.of("bad-missing-fields.txt", "bad-nan-query.txt", "bad-non-numeric.txt",
                "bad-not-an-object.txt", "bad-truncated-json.txt", "shelly-action-unsubstituted.txt")) {
            HttpResponse<String> r = sendSample(bad);
            assertThat(r.statusCode()).as(bad).isBetween(400, 499);
            assertThat(r.body()).as(bad).contains("\"error\"");
        }
        assertThat(endOffsets(stack.rawTopic())).isEqualTo(before);
    }

    @Test
    @Order(5)
    void biToolsReadWithTheReadOnlyRoleWhosePasswordOnlyItsOwnerCanRead() throws Exception {
        Path file = stack.readOnlyPasswordFile();
        assertThat(file).isEqualTo(dataDir.resolve("postgres-readonly.password"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String password = Files.readString(file).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        try (Connection bi = DriverManager.getConnection(stack.postgres().jdbcUrl(), "wattstream_readonly", password);
             Statement s = bi.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from measurement")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isPositive();
            }
            assertThatThrownBy(() -> s.execute("delete from measurement")).isInstanceOf(SQLException.class);
        }
        // The stack runs the history maintenance itself, with the retention from its environment.
        await("the configured retention applied", () -> query("select keep::text from history_level where level = 'raw'")
                .equals(List.of("30 days")));
        String inAWeek = "measurement_p" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(7)
                .format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(query("select partition_name from history_partitions('measurement')")).contains(inAWeek);
    }

    @Test
    @Order(6)
    void everyServiceServesValidPrometheusTextWithEveryMetricTheDashboardsRead() throws Exception {
        Set<String> scraped = new TreeSet<>();
        for (String base : List.of(stack.gatewayUrl(), stack.queryUrl(), stack.stateUrl())) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/observe/metrics"))
                    .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(base).isEqualTo(200);
            PrometheusText text = PrometheusText.parse(r.body());
            text.samples().forEach(s -> scraped.add(s.name()));
        }
        // Readings went through the gateway and the stream processor in the tests before this one.
        assertThat(scraped).contains("gateway_readings_accepted_total", "kafka_stream_thread_process_total",
                "wattstream_state_store_entries");
        Set<String> read = GrafanaDashboards.prometheusMetrics("wattstream-prometheus");
        assertThat(read).isNotEmpty();
        assertThat(scraped).as("metrics the Grafana dashboards query").containsAll(read);
    }

    @Test
    @Order(7)
    void restartOnTheSameDataDirectoryKeepsEverything() throws Exception {
        await("every reading so far stored", () -> query("select count(*) from measurement where device_id = 'it-window-1'")
                .equals(List.of("4")));
        // The sample frames carry their device time of November 2025: past the stack's 30-day retention,
        // so the maintenance at the next start drops their day and keeps them in the aggregates.
        String kept = "select device_id || ' ' || \"timestamp\" from measurement where \"timestamp\" > now() - interval '30 days' order by 1";
        String past = "select count(*) from measurement where \"timestamp\" <= now() - interval '30 days'";
        List<String> rowsBefore = query(kept);
        assertThat(query(past)).doesNotContain("0");
        List<String> alertsBefore = query("select device_id || ' ' || state from alert order by 1");
        // The day's aggregate is made as the stream processor makes it: without readings marked late for
        // their hour (here: those that came after readings of today on the same partition).
        List<String> onTimeThatDay = query("select count(*) from measurement where device_id = '" + SAMPLE_DEVICE
                + "' and \"timestamp\" >= '2025-11-20T00:00:00Z' and \"timestamp\" < '2025-11-21T00:00:00Z' and not late_1h");
        stack.close();
        sseLines.clear();
        stack = LocalStack.start(options, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        openSse();
        await("the readings past retention dropped", () -> query(past).equals(List.of("0")));
        assertThat(query(kept)).isEqualTo(rowsBefore);
        assertThat(query("select count from measurement_1d where device_id = '" + SAMPLE_DEVICE
                + "' and window_start = '2025-11-20T00:00:00Z'"))
                .isEqualTo(onTimeThatDay.equals(List.of("0")) ? List.of() : onTimeThatDay);
        assertThat(query("select device_id || ' ' || state from alert order by 1")).isEqualTo(alertsBefore);
        assertThat(post("/webhook/it-after-restart", "{\"power\":42,\"voltage\":230,\"current\":0.2,\"energy\":1}")
                .statusCode()).isEqualTo(200);
        await("a reading after the restart in latest/", () -> get("/api/measurements/latest/").contains("it-after-restart"));
        // Alert state survived: the device is still over threshold, so a normal reading clears (not raises) it.
        post("/webhook/it-alert-1", "{\"power\":100,\"voltage\":229,\"current\":0.5,\"energy\":101}");
        await("the alert cleared after the restart", () -> query("select state from alert where device_id = 'it-alert-1'")
                .equals(List.of("CLEARED")));
    }

    @Test
    @Order(6)
    void aDeviceOnTheOutboundWebSocketLandsInMeasurementWithItsPartialsCompleted() throws Exception {
        String device = "shellypro1pm-it-ws";
        long ts = Instant.now().getEpochSecond();
        URI server = URI.create(stack.gatewayUrl().replaceFirst("^http", "ws") + "/ws/shelly");
        WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(server, new WebSocket.Listener() { }).join();
        try {
            // What the firmware sends: the full status on connect, then only what changed.
            ws.sendText("{\"src\":\"" + device + "\",\"dst\":\"wattstream\",\"method\":\"NotifyFullStatus\",\"params\":"
                    + "{\"ts\":" + ts + ".25,\"sys\":{\"unixtime\":" + ts + "},\"switch:0\":{\"id\":0,\"output\":true,"
                    + "\"apower\":3590.0,\"voltage\":230.2,\"current\":15.61,\"aenergy\":{\"total\":152341.0}}}}", true).join();
            ws.sendText("{\"src\":\"" + device + "\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":" + (ts + 1)
                    + ".5,\"switch:0\":{\"id\":0,\"apower\":3604.9,\"current\":15.69}}}", true).join();
            ws.sendText("{\"src\":\"" + device + "\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":" + (ts + 2)
                    + ".75,\"switch:0\":{\"id\":0,\"aenergy\":{\"total\":152345.5}}}}", true).join();
            await("the three frames in measurement", () -> query("select count(*) from measurement where device_id = '"
                    + device + "'").equals(List.of("3")));
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
        assertThat(query("select source || ' ' || power || ' ' || voltage || ' ' || current || ' ' || energy || ' ' "
                + "|| energy_delta_wh from measurement where device_id = '" + device + "' order by \"timestamp\""))
                .as("each partial overlaid on the status before it; the counter's rise is the delta")
                .containsExactly("NOTIFY_FULL_STATUS 3590 230.2 15.61 152341 0",
                        "NOTIFY_STATUS 3604.9 230.2 15.69 152341 0",
                        "NOTIFY_STATUS 3604.9 230.2 15.69 152345.5 4.5");
        assertThat(query("select round(extract(epoch from \"timestamp\") * 1000)::bigint from measurement where device_id = '"
                + device + "' order by 1")).as("at the device's own times")
                .containsExactly(ts * 1000 + 250 + "", (ts + 1) * 1000 + 500 + "", (ts + 2) * 1000 + 750 + "");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static HttpResponse<String> sendSample(String file) throws IOException, InterruptedException {
        String content = Files.readString(SAMPLES.resolve(file)).trim();
        if (file.endsWith(".txt") && content.startsWith("/webhook")) {
            return HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + content)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        return post("/webhook/", content);
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return CLIENT.post(path, json);
    }

    private static void postAt(String device, double power, double energy, Instant at) throws Exception {
        HttpResponse<String> r = post("/webhook/" + device, String.format(Locale.ROOT,
                "{\"power\":%s,\"voltage\":230,\"current\":1,\"energy\":%s,\"timestamp\":\"%s\"}", power, energy, at));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static String get(String path) {
        return CLIENT.get(path);
    }

    private static void openSse() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.queryUrl() + "/api/stream")).GET().build();
        HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAcceptAsync(r -> r.body().forEach(sseLines::add), READERS);
    }

    private static List<String> query(String sql) {
        return CLIENT.query(sql);
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> values(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }

    private static Set<String> sources(String topic) {
        return values(topic).stream().map(v -> v.replaceAll(".*\"source\":\"([A-Z_]+)\".*", "$1"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static long endOffsets(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static void await(String what, Supplier<Boolean> condition) {
        StackClient.await(what, condition);
    }
}
