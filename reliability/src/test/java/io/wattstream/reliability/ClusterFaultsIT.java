package io.wattstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Json;
import io.wattstream.model.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The production shape ({@code deploy/cluster/cluster.sh}: three brokers, two gateways, three stream
 * processors, two Connect workers, two query APIs, PostgreSQL, each its own process) under a steady load
 * of every webhook shape through both gateways, broken one instance at a time; after each fault every
 * acknowledged reading is in {@code measurement} exactly once with its values, the aggregates equal SQL
 * over the stored readings and the alerts are neither lost nor doubled. The build runs the two faults
 * that matter most (the raw topic's partition leader and a stream processor, both SIGKILL); the soak
 * mode ({@code deploy/cluster/soak.sh}) adds network partitions, a Connect worker, a rolling restart and a
 * query API.
 */
@EnabledOnOs(OS.LINUX)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

    /** A bound, not a pace: on a quiet machine each check passes within seconds of the fault ending. */
    private static final Duration CATCH_UP = Duration.ofSeconds(240);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final boolean SOAK = Boolean.getBoolean("reliability.cluster.soak");

    private static Cluster cluster;
    private static Load load;
    private static Checker checker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        Path root = Path.of("").toAbsolutePath().getParent();
        // The build's run spares the JIT's second tier: the thirteen JVMs' start-up is most of its time. The
        // soak runs them as deployed, since it measures what each spends per reading.
        cluster = new Cluster(root, Path.of("target/cluster").toAbsolutePath(), "wsrel", "198.18.7",
                SOAK ? "-XX:+UseSerialGC" : "-XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        long t0 = System.nanoTime();
        cluster.up();
        OUT.printf("RELIABILITY cluster up in %d s%n", Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(cluster.jdbcUrl());
        pg.setUser("wattstream");
        pg.setPassword(Cluster.PASSWORD);
        DataSource db = pg;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()));
        List<String> gateways = cluster.names("gateway").stream().map(cluster::url).toList();
        // 6 devices every 100 ms over both gateways (~70 readings/s with the batches) and the alert device:
        // enough to keep every partition busy, little enough to leave the two cores to the thirteen processes.
        // The soak doubles it and measures what each instance spends per reading.
        load = new Load(gateways, "c", SOAK ? 12 : 6, Duration.ofMillis(100)).start();
        checker = new Checker(() -> db, cluster.bootstrap(), Load.PREFIX + "c-", OUT);
        awaitMoreAccepted(150);
        if (SOAK) {
            measureCpuPerReading(Duration.ofSeconds(60));
            measureStoragePerReading(db);
        }
    }

    /** Bytes per reading on disk: one broker's replica of the raw and enriched topics, and the measurement table. */
    private static void measureStoragePerReading(DataSource db) {
        try (var c = db.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("select (select count(*) from measurement), (select sum(pg_total_relation_size(r))"
                     + " from (select 'measurement'::regclass r union select inhrelid::regclass from pg_inherits"
                     + " where inhparent = 'measurement'::regclass) t)")) {
            rs.next();
            long rows = rs.getLong(1);
            long bytes = rs.getLong(2);
            OUT.printf(Locale.ROOT, "RELIABILITY [disk] measurement: %d rows, %d bytes with indexes = %.0f bytes per row%n",
                    rows, bytes, (double) bytes / rows);
        } catch (java.sql.SQLException e) {
            OUT.println("RELIABILITY [disk] measurement size not measured: " + e);
        }
        for (String topic : List.of(Topics.RAW.name(), "shelly.readings")) {
            try {
                var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
                        .collect(java.util.stream.Collectors.toMap(tp -> tp,
                                tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()));
                long records = admin.listOffsets(parts).all().get().values().stream().mapToLong(o -> o.offset()).sum();
                long bytes = cluster.topicBytes("broker-2", topic);
                OUT.printf(Locale.ROOT, "RELIABILITY [disk] %s: %d offsets, %d bytes on one replica = %.0f bytes per record%n",
                        topic, records, bytes, (double) bytes / records);
            } catch (Exception e) {
                OUT.println("RELIABILITY [disk] " + topic + " not measured: " + e);
            }
        }
    }

    /** CPU per acknowledged reading of each instance over a span of steady load, printed for the scaling figures. */
    private static void measureCpuPerReading(Duration span) {
        Map<String, Long> before = cluster.cpuMillis();
        int readings0 = load.acceptedCount();
        long t0 = System.nanoTime();
        Poll.hold(span, () -> { });
        Map<String, Long> after = cluster.cpuMillis();
        int readings = load.acceptedCount() - readings0;
        double seconds = (System.nanoTime() - t0) / 1e9;
        OUT.printf(Locale.ROOT, "RELIABILITY [cpu] %d readings in %.1f s = %.1f readings/s (%s)%n", readings, seconds,
                readings / seconds, load.statusSummary());
        after.forEach((name, ms) -> {
            long used = ms - before.getOrDefault(name, ms);
            OUT.printf(Locale.ROOT, "RELIABILITY [cpu] %-10s %6d ms CPU = %5.1f %% of a core, %.3f ms per reading%n", name, used,
                    100.0 * used / 1000 / seconds, (double) used / readings);
        });
    }

    @AfterAll
    static void stop() {
        if (load != null) {
            load.close();
        }
        if (checker != null) {
            checker.close();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (cluster != null) {
            OUT.println(cluster.status());
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void rawTopicLeaderKilledKeepsBothGatewaysAcknowledgingAndLosesNothing() {
        int leader = rawLeaders().getFirst();
        String broker = "broker-" + leader;
        long before = load.acceptedCount();
        long failedBefore = failures();
        long t0 = System.nanoTime();
        cluster.kill(broker);
        awaitMoreAccepted(200);
        long failed = failures() - failedBefore;
        OUT.printf("RELIABILITY [SIGKILL %s, leader of %s p0] 2xx after the kill=%d non-2xx=%d in %d s; leaders now %s%n",
                broker, Topics.RAW.name(), load.acceptedCount() - before, failed,
                Duration.ofNanos(System.nanoTime() - t0).toSeconds(), rawLeaders());
        try {
            assertThat(rawLeaders()).as("the raw topic's partitions have new leaders").doesNotContain(leader);
            assertHolds("raw leader " + broker + " SIGKILL");
        } finally {
            if (SOAK) {
                cluster.start(broker); // the soak's next faults need all three
            }
        }
    }

    @Test
    @Order(2)
    void streamProcessorKilledHandsOverItsPartitionsAndLiveStateKeepsAnswering() {
        // streams-1 is first in the query APIs' STATE_URL list: they must go on through the others.
        cluster.kill("streams-1");
        try {
            long t0 = System.nanoTime();
            List<String> devices = load.deviceIds();
            Poll.until(() -> "every device live on both query APIs and on streams-2/-3 (" + lastLiveGap.get() + ")", WAIT,
                    Duration.ofMillis(500),
                    () -> liveEverywhere(devices, List.of("query-1", "query-2"), List.of("streams-2", "streams-3")));
            OUT.printf("RELIABILITY [SIGKILL streams-1] every device's live state answered by the others after %d s%n",
                    Duration.ofNanos(System.nanoTime() - t0).toSeconds());
            awaitMoreAccepted(100);
            Checker.Counts c = assertHolds("stream processor streams-1 SIGKILL");
            if (!SOAK) {
                // The last check of the build: keep the load on until a 1-minute window has closed, so the
                // aggregate comparison is not vacuous.
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (c.windowsChecked() == 0 && System.nanoTime() < deadline) {
                    awaitMoreAccepted(150);
                    c = assertHolds("stream processor streams-1 SIGKILL, windows closed");
                }
                assertThat(c.windowsChecked()).as("closed 1-minute windows compared: " + c).isPositive();
            }
        } finally {
            if (SOAK) {
                cluster.start("streams-1");
            }
        }
    }

    @Test
    @Order(3)
    @EnabledIfSystemProperty(named = "reliability.cluster.soak", matches = "true")
    void brokerPartitionedForThirtySecondsThenHealedLosesAndDuplicatesNothing() {
        String broker = "broker-" + rawLeaders().getFirst();
        cluster.partition(broker);
        long before = load.acceptedCount();
        try {
            Poll.hold(Duration.ofSeconds(30), () -> { });
            OUT.printf("RELIABILITY [partition %s 30 s] 2xx while cut off=%d%n", broker, load.acceptedCount() - before);
        } finally {
            cluster.heal(broker);
        }
        awaitMoreAccepted(200);
        assertHolds("broker " + broker + " partitioned 30 s, healed");
    }

    @Test
    @Order(4)
    @EnabledIfSystemProperty(named = "reliability.cluster.soak", matches = "true")
    void connectWorkerKilledHandsOverItsTasksAndStoresEveryRowOnce() {
        cluster.kill("connect-1");
        try {
            awaitMoreAccepted(300);
            assertHolds("Connect worker connect-1 SIGKILL");
        } finally {
            cluster.start("connect-1");
        }
    }

    @Test
    @Order(5)
    @EnabledIfSystemProperty(named = "reliability.cluster.soak", matches = "true")
    void rollingRestartOfEveryServiceAnswersNo5xxLongerThanTheRetryWindowAndLosesNothing() throws IOException {
        Duration window = retryWindow();
        List<String> order = new ArrayList<>();
        for (String role : List.of("broker", "connect", "streams", "gateway", "query")) {
            order.addAll(cluster.names(role));
        }
        long failedBefore = failures();
        Duration longest5xx = Duration.ZERO;
        String longest5xxDuring = "-";
        for (String name : order) {
            load.resetUnservedSpans();
            long t0 = System.nanoTime();
            cluster.restart(name);
            if (name.startsWith("broker-")) {
                awaitFullyReplicated();
            }
            awaitMoreAccepted(50);
            Duration served5xx = load.longestServerErrorSpan();
            OUT.printf("RELIABILITY [rolling restart] %s back in %d s; longest span of a device without a 2xx: %d ms with"
                            + " a 5xx, %d ms unreachable%n", name, Duration.ofNanos(System.nanoTime() - t0).toSeconds(),
                    served5xx.toMillis(), load.longestUnreachableSpan().toMillis());
            if (served5xx.compareTo(longest5xx) > 0) {
                longest5xx = served5xx;
                longest5xxDuring = name;
            }
        }
        OUT.printf("RELIABILITY [rolling restart] non-2xx answers during it: %d (%s); longest 5xx span %d ms (restart of %s),"
                        + " retry window %d s%n", failures() - failedBefore, load.statusSummary(), longest5xx.toMillis(),
                longest5xxDuring, window.toSeconds());
        assertHolds("rolling restart of " + order.size() + " instances");
        assertThat(longest5xx).as("longest span of a device answered 5xx without a 2xx (restart of " + longest5xxDuring
                + ") against the retry window").isLessThan(window);
    }

    /**
     * The retry window: the device script's first back-off after a 5xx or no answer, twice its period
     * (the gateway's {@code Retry-After}, 5 s, is shorter). A device answered 5xx for less than this
     * stores its reading with the first retry, one window late at most.
     */
    static Duration retryWindow() throws IOException {
        String script = Files.readString(Path.of("").toAbsolutePath().getParent()
                .resolve("deploy/shelly/wattstream-status.js"));
        Matcher period = Pattern.compile("(?m)^\\s*period_s:\\s*(\\d+)").matcher(script);
        assertThat(period.find()).as("period_s in the device script").isTrue();
        return Duration.ofSeconds(2 * Long.parseLong(period.group(1)));
    }

    @Test
    @Order(6)
    @EnabledIfSystemProperty(named = "reliability.cluster.soak", matches = "true")
    void queryApiPartitionedLeavesTheOtherServingAndSseClientsReconnect() throws Exception {
        List<String> devices = load.deviceIds();
        AtomicInteger events = new AtomicInteger();
        AtomicReference<String> servedBy = new AtomicReference<>();
        Thread sse = Thread.ofPlatform().daemon().name("sse-client").start(() -> followStream(
                List.of(cluster.url("query-1"), cluster.url("query-2")), events, servedBy));
        Poll.until(() -> "SSE events from query-1", WAIT, Duration.ofMillis(500), () -> events.get() > 0 && "query-1".equals(name(servedBy.get())));
        cluster.partition("query-1");
        try {
            int before = events.get();
            Poll.until(() -> "SSE client reconnected to query-2 (" + servedBy.get() + ")", WAIT, Duration.ofMillis(500),
                    () -> "query-2".equals(name(servedBy.get())) && events.get() > before + 10);
            Poll.until(() -> "every device live on query-2 (" + lastLiveGap.get() + ")", WAIT, Duration.ofMillis(500),
                    () -> liveEverywhere(devices, List.of("query-2"), List.of()));
        } finally {
            cluster.heal("query-1");
        }
        Poll.until(() -> "every device live on query-1 again (" + lastLiveGap.get() + ")", WAIT, Duration.ofMillis(500),
                () -> liveEverywhere(devices, List.of("query-1"), List.of()));
        sse.interrupt();
        OUT.printf("RELIABILITY [partition query-1] SSE events received=%d, reconnected to query-2%n", events.get());
        assertHolds("query API query-1 partitioned, healed");
    }

    private static String name(String url) {
        if (url == null) {
            return null;
        }
        return url.equals(cluster.url("query-1")) ? "query-1" : url.equals(cluster.url("query-2")) ? "query-2" : url;
    }

    /** An SSE client as a browser behind a load balancer is: on a broken stream it reconnects to the next URL. */
    private static void followStream(List<String> urls, AtomicInteger events, AtomicReference<String> servedBy) {
        String lastId = null;
        int i = 0;
        while (!Thread.currentThread().isInterrupted()) {
            String url = urls.get(i++ % urls.size());
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/stream")).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN);
            if (lastId != null) {
                b.header("Last-Event-ID", lastId);
            }
            try {
                HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    continue;
                }
                servedBy.set(url);
                // A stream that stays silent past two heartbeats is dead (a cut link never closes by itself).
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    Thread reader = Thread.currentThread();
                    AtomicReference<Long> lastLine = new AtomicReference<>(System.nanoTime());
                    Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                        while (System.nanoTime() - lastLine.get() < Duration.ofSeconds(5).toNanos()) {
                            Poll.hold(Duration.ofMillis(500), () -> { });
                        }
                        try {
                            r.body().close();
                        } catch (IOException ignored) {
                            // the reader sees the stream end either way
                        }
                    });
                    String line;
                    while ((line = in.readLine()) != null && !reader.isInterrupted()) {
                        lastLine.set(System.nanoTime());
                        if (line.startsWith("id:")) {
                            lastId = line.substring(3).strip();
                        } else if (line.startsWith("data:")) {
                            events.incrementAndGet();
                        }
                    }
                    watchdog.interrupt();
                }
            } catch (IOException e) {
                // reconnect to the next one
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static final AtomicReference<String> lastLiveGap = new AtomicReference<>("");

    /** Every device answered with live state by each query API's /api/devices and each stream processor's /state. */
    private static boolean liveEverywhere(List<String> devices, List<String> queryApis, List<String> streams) {
        for (String q : queryApis) {
            JsonNode list = getJson(cluster.url(q) + "/api/devices");
            if (list == null) {
                lastLiveGap.set(q + " did not answer /api/devices");
                return false;
            }
            Set<String> live = new HashSet<>();
            list.forEach(d -> {
                if ("ok".equals(d.path("live_status").asText())) {
                    live.add(d.path("device_id").asText());
                }
            });
            if (!live.containsAll(devices)) {
                lastLiveGap.set(q + " has no live state for " + devices.stream().filter(d -> !live.contains(d)).toList());
                return false;
            }
        }
        for (String s : streams) {
            for (String d : devices) {
                if (getJson(cluster.url(s) + "/state/devices/" + d) == null) {
                    lastLiveGap.set(s + " did not answer /state/devices/" + d);
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode getJson(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until every partition has all its replicas in sync again (a restarted broker has caught up). */
    private static void awaitFullyReplicated() {
        Poll.until(() -> "every partition fully replicated", WAIT, Duration.ofMillis(500), () -> {
            try {
                var names = admin.listTopics().names().get();
                return admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size());
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** The leader broker id of each partition of the raw topic, in partition order. */
    private static List<Integer> rawLeaders() {
        try {
            TopicDescription d = admin.describeTopics(List.of(Topics.RAW.name())).allTopicNames().get().get(Topics.RAW.name());
            return d.partitions().stream().map(TopicPartitionInfo::leader).map(n -> n == null ? -1 : n.id()).toList();
        } catch (Exception e) {
            throw new IllegalStateException("describing " + Topics.RAW, e);
        }
    }

    private static long failures() {
        return load.requests() - load.status(200) - load.status(201) - load.status(202);
    }

    private static Checker.Counts assertHolds(String phase) {
        return checker.assertHolds(phase, load, CATCH_UP);
    }

    private static void awaitMoreAccepted(int more) {
        load.awaitMoreAccepted(more, WAIT);
    }
}
