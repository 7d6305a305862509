package io.wattstream.bench.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Json;
import io.wattstream.model.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * End-to-end latency, open loop: readings are POSTed at a fixed rate on a schedule that never waits
 * for responses, and every latency is measured from the reading's <em>intended</em> send time, so a
 * stall shows as the latency readings really suffer (no coordinated omission). Each reading is
 * followed to four places: the raw topic, {@code shelly.readings} (read_committed), the SSE feed
 * {@code /api/stream}, and its {@code measurement} row. The reading's sequence number travels in its
 * energy counter, which only grows per device, as a real meter's does. As a probe beside other load
 * ({@link #rowsOnly}), it follows its readings to the raw topic and their rows only.
 */
final class EndToEnd {

    /** One stage's latencies in ms; {@code lost} readings never arrived within the drain time. */
    record Stage(String name, double p50, double p95, double p99, double max, int seen, int lost) {
    }

    record Result(int sent, double achievedRate, int non2xx, Map<String, Long> failures, Stage gateway, Stage raw, Stage readings, Stage sse, Stage row,
                  double rowPollMs) {
    }

    private static final double ENERGY_BASE = 100_000;
    private static final int DEVICES = 20;
    private static final Duration DRAIN = Duration.ofSeconds(20);
    private static final long ROW_POLL_MS = 25;

    private final String gatewayUrl;
    private final String queryUrl;
    private final String bootstrap;
    private final String jdbcUrl;
    private final String prefix = "e2e" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "-";
    private final int n;
    private final long periodNanos;
    /** Whether to follow {@code shelly.readings} and the SSE feed too (not for a probe of the rows). */
    private final boolean live;

    private final AtomicLongArray response;
    private final AtomicLongArray rawSeen;
    private final AtomicLongArray receivedAtMicros;
    private final AtomicLongArray readingsSeen;
    private final AtomicLongArray sseSeen;
    private final AtomicLongArray rowSeen;
    private final AtomicLong non2xx = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong maxRawSeq = new AtomicLong(-1);
    private volatile boolean running = true;
    private long start;

    EndToEnd(String gatewayUrl, String queryUrl, String bootstrap, String jdbcUrl, int ratePerSecond, int seconds) {
        this(gatewayUrl, queryUrl, bootstrap, jdbcUrl, ratePerSecond, seconds, true);
    }

    private EndToEnd(String gatewayUrl, String queryUrl, String bootstrap, String jdbcUrl, int ratePerSecond, int seconds,
                     boolean live) {
        this.live = live;
        this.gatewayUrl = gatewayUrl;
        this.queryUrl = queryUrl;
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        this.n = ratePerSecond * seconds;
        this.periodNanos = 1_000_000_000L / ratePerSecond;
        response = new AtomicLongArray(n);
        rawSeen = new AtomicLongArray(n);
        receivedAtMicros = new AtomicLongArray(n);
        readingsSeen = new AtomicLongArray(n);
        sseSeen = new AtomicLongArray(n);
        rowSeen = new AtomicLongArray(n);
    }

    /**
     * A latency probe beside other load: its readings are followed to the raw topic (which the row
     * poller needs) and to their rows, not to {@code shelly.readings} or the SSE feed, whose stages stay empty.
     */
    static EndToEnd rowsOnly(String gatewayUrl, String bootstrap, String jdbcUrl, int ratePerSecond, int seconds) {
        return new EndToEnd(gatewayUrl, null, bootstrap, jdbcUrl, ratePerSecond, seconds, false);
    }

    Result run() throws Exception {
        CountDownLatch listening = new CountDownLatch(live ? 4 : 2);
        List<Thread> watchers = new ArrayList<>();
        watchers.add(Thread.ofPlatform().name("e2e-raw").start(() -> consume(Topics.RAW.name(), "read_uncommitted", rawSeen, true, listening)));
        if (live) {
            watchers.add(Thread.ofPlatform().name("e2e-readings").start(() -> consume(Topics.READINGS.name(), "read_committed", readingsSeen, false, listening)));
            HttpClient sseClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // Not joined at the end: it blocks reading the stream until the next event or heartbeat.
            Thread.ofPlatform().name("e2e-sse").daemon().start(() -> sse(sseClient, listening));
        }
        watchers.add(Thread.ofPlatform().name("e2e-rows").start(() -> rows(listening)));
        if (!listening.await(60, TimeUnit.SECONDS)) {
            running = false;
            throw new IllegalStateException("the end-to-end watchers did not get ready within 60 s");
        }

        double achieved;
        try (ExecutorService vthreads = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(vthreads)
                     .connectTimeout(Duration.ofSeconds(5)).build()) {
            start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            for (int i = 0; i < n; i++) {
                long intended = intended(i);
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                final int seq = i;
                client.sendAsync(request(i), HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
                    long now = System.nanoTime();
                    answered.incrementAndGet();
                    if (err == null && res.statusCode() / 100 == 2) {
                        response.set(seq, now);
                    } else { // not stored as far as the device knows: counts as lost
                        non2xx.incrementAndGet();
                        String why = err != null ? rootCause(err) : "HTTP " + res.statusCode();
                        failures.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
                    }
                });
            }
            achieved = n / ((System.nanoTime() - start) / 1e9);
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (System.nanoTime() < deadline && !complete()) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            client.shutdownNow(); // requests still open after the drain stay lost
        } finally {
            running = false;
            for (Thread t : watchers) {
                t.join(35_000); // each loop polls briefly and checks `running`
            }
        }
        Map<String, Long> why = new java.util.TreeMap<>();
        failures.forEach((k, v) -> why.put(k, v.get()));
        return new Result(n, achieved, (int) non2xx.get(), why,
                stage("gateway response", response), stage("raw topic", rawSeen), stage(Topics.READINGS.name(), readingsSeen),
                stage("SSE /api/stream", sseSeen), stage("measurement row", rowSeen), ROW_POLL_MS);
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private long intended(int i) {
        return start + i * periodNanos;
    }

    private HttpRequest request(int i) {
        String body = String.format(Locale.ROOT, "{\"power\":%.1f,\"voltage\":230.2,\"current\":%.2f,\"energy\":%.1f}",
                800.0 + (i % 1700), (800.0 + (i % 1700)) / 230.2, ENERGY_BASE + i);
        return HttpRequest.newBuilder(URI.create(gatewayUrl + "/webhook/" + prefix + (i % DEVICES)))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Every request answered, and every acknowledged reading seen everywhere. */
    private boolean complete() {
        if (answered.get() < n) {
            return false;
        }
        for (int i = n - 1; i >= 0; i--) { // the newest are the last to arrive
            if (response.get(i) != 0
                    && (rawSeen.get(i) == 0 || rowSeen.get(i) == 0 || live && (readingsSeen.get(i) == 0 || sseSeen.get(i) == 0))) {
                return false;
            }
        }
        return true;
    }

    /** The sequence number of one of our readings, or -1 for anything else on the topic. */
    private int seq(JsonNode node) {
        if (!node.path("device_id").asText("").startsWith(prefix)) {
            return -1;
        }
        long s = Math.round(node.path("energy").asDouble(-1) - ENERGY_BASE);
        return s >= 0 && s < n ? (int) s : -1;
    }

    private static void mark(AtomicLongArray seen, int seq, long now) {
        seen.compareAndSet(seq, 0, now);
    }

    private void consume(String topic, String isolation, AtomicLongArray seen, boolean keepReceivedAt, CountDownLatch listening) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-e2e-" + topic), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            listening.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    if (r.key() != null && !r.key().startsWith(prefix)) {
                        continue; // another load's reading (the key is the device id): not worth parsing
                    }
                    JsonNode node = Json.MAPPER.readTree(r.value());
                    int s = seq(node);
                    if (s < 0) {
                        continue;
                    }
                    if (keepReceivedAt) {
                        Instant at = Instant.parse(node.path("received_at").asText());
                        receivedAtMicros.compareAndSet(s, 0, at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000);
                        maxRawSeq.accumulateAndGet(s, Math::max);
                    }
                    mark(seen, s, now);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // stopping
        } catch (IOException | RuntimeException e) {
            if (running) {
                System.err.println("e2e consumer of " + topic + " failed: " + e);
            }
        }
    }

    private void sse(HttpClient client, CountDownLatch listening) {
        try {
            HttpResponse<Stream<String>> res = client.send(HttpRequest.newBuilder(URI.create(queryUrl + "/api/stream"))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("/api/stream answered " + res.statusCode());
            }
            String event = "";
            var lines = res.body().iterator();
            while (running && lines.hasNext()) {
                String line = lines.next();
                long now = System.nanoTime();
                if (line.startsWith(":")) {
                    if (line.contains("connected") || line.contains("resumed")) {
                        listening.countDown();
                    }
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && event.equals("reading")) {
                    int s = seq(Json.MAPPER.readTree(line.substring(5)));
                    if (s >= 0) {
                        mark(sseSeen, s, now);
                    }
                } else if (line.isEmpty()) {
                    event = "";
                }
            }
            res.body().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (running) {
                System.err.println("e2e SSE client failed: " + e);
            }
        }
    }

    /**
     * Polls {@code measurement} for our rows received at or after the oldest reading that is on the
     * raw topic but not yet seen as a row (the primary key's timestamp is the gateway's received_at
     * here: the readings carry no device time). A row counts as arrived when the query that found it
     * started: it was committed before that query's snapshot, so the error is at most one poll interval.
     */
    private void rows(CountDownLatch listening) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "wattstream", "wattstream");
             PreparedStatement ps = c.prepareStatement(
                     "select energy from measurement where \"timestamp\" >= ? and device_id = any(?)")) {
            // By the primary key (device, time): other load on the same table costs this poll nothing.
            String[] devices = java.util.stream.IntStream.range(0, DEVICES).mapToObj(d -> prefix + d).toArray(String[]::new);
            ps.setArray(2, c.createArrayOf("text", devices));
            listening.countDown();
            int low = 0;
            while (running) {
                long polled = System.nanoTime();
                while (low < n && rowSeen.get(low) != 0) {
                    low++;
                }
                long watermark = Long.MAX_VALUE;
                long top = maxRawSeq.get();
                for (int s = low; s <= top; s++) {
                    long at = receivedAtMicros.get(s);
                    if (at != 0 && rowSeen.get(s) == 0) {
                        watermark = Math.min(watermark, at);
                    }
                }
                if (watermark != Long.MAX_VALUE) {
                    Instant w = Instant.ofEpochSecond(watermark / 1_000_000, (watermark % 1_000_000) * 1_000);
                    ps.setObject(1, OffsetDateTime.ofInstant(w, ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long s = Math.round(rs.getDouble(1) - ENERGY_BASE);
                            if (s >= 0 && s < n) {
                                mark(rowSeen, (int) s, polled);
                            }
                        }
                    }
                }
                long sleep = TimeUnit.MILLISECONDS.toNanos(ROW_POLL_MS) - (System.nanoTime() - polled);
                if (sleep > 0) {
                    LockSupport.parkNanos(sleep);
                }
            }
        } catch (Exception e) {
            if (running) {
                System.err.println("e2e row poller failed: " + e);
            }
        }
    }

    private Stage stage(String name, AtomicLongArray seen) {
        List<Double> ms = new ArrayList<>(n);
        int lost = 0;
        for (int i = 0; i < n; i++) {
            long at = seen.get(i);
            if (at == 0) {
                lost++;
            } else {
                ms.add((at - intended(i)) / 1e6);
            }
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        // A reading that never arrived is slower than any that did: it counts at the top of the ranks.
        double[] ranked = new double[n];
        System.arraycopy(sorted, 0, ranked, 0, sorted.length);
        for (int i = sorted.length; i < n; i++) {
            ranked[i] = Double.POSITIVE_INFINITY;
        }
        return new Stage(name, Stats.percentile(ranked, 50), Stats.percentile(ranked, 95), Stats.percentile(ranked, 99),
                ranked.length == 0 ? Double.NaN : ranked[ranked.length - 1], sorted.length, lost);
    }
}
