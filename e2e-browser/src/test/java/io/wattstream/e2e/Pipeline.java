package io.wattstream.e2e;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.wattstream.connect.SinkInstaller;
import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.gateway.Gateway;
import io.wattstream.query.QueryApi;
import io.wattstream.streams.StreamsApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real pipeline in this JVM: embedded KRaft broker and PostgreSQL, the Connect worker with the
 * sink connectors, the stream processor, the gateway and the query API (which serves the dashboard).
 * Every port is free-chosen; each service gets its own config node.
 */
final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WebServer gateway;
    private QueryApi query;

    static Pipeline start() throws IOException {
        Pipeline p = new Pipeline();
        try {
            p.startAll();
            return p;
        } catch (RuntimeException | IOException e) {
            p.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = remember(EmbeddedKafka.startEphemeral());
        kafka.createPipelineTopics(1);
        EmbeddedPostgres pg = remember(EmbeddedPostgres.builder().registerShutdownHook(false).build().start());
        EmbeddedConnect connect = remember(SinkInstaller.worker(kafka, pg)
                .groupId("e2e-browser-" + UUID.randomUUID()).build().start());
        SinkInstaller.install(pg, connect, WAIT);

        Path stateDir = Files.createTempDirectory("wattstream-e2e-streams-");
        StreamsApp streams = remember(StreamsApp.start(config(Map.of(
                "server.host", "127.0.0.1",
                "server.port", "0",
                "app.kafka.bootstrap", kafka.bootstrapServers(),
                "app.application-id", "e2e-browser-" + UUID.randomUUID(),
                "app.state-dir", stateDir.toString(),
                "app.advertised-host", "127.0.0.1",
                "app.topic-partitions", "1")), Map.of()));
        streams.awaitRunning(WAIT);

        gateway = Gateway.start(config(Map.of(
                "server.host", "127.0.0.1",
                "server.port", "0",
                "app.kafka.bootstrap", kafka.bootstrapServers())));
        started.push(gateway::stop);

        query = remember(QueryApi.start(config(Map.of(
                "server.host", "127.0.0.1",
                "server.port", "0",
                "app.postgres.host", "127.0.0.1",
                "app.postgres.port", Integer.toString(pg.port()),
                "app.postgres.db", pg.database(),
                "app.postgres.user", pg.user(),
                "app.postgres.password", pg.password(),
                "app.kafka.bootstrap", kafka.bootstrapServers(),
                "app.state.url", "http://127.0.0.1:" + streams.port()))));
        await("the query API's live feed", query::liveFeedReady);
        LOG.info("Pipeline up in {} ms: dashboard {}, gateway {}", (System.nanoTime() - t0) / 1_000_000,
                dashboardUrl(), gatewayUrl());
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.push(resource);
        return resource;
    }

    String dashboardUrl() {
        return "http://127.0.0.1:" + query.port() + "/";
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.port() + "/webhook/";
    }

    /** POSTs a reading to the gateway as a device would; fails unless it is accepted. */
    void postReading(String deviceId, double power, double voltage, double current, double energy) {
        String body = String.format(java.util.Locale.ROOT,
                "{\"device_id\":\"%s\",\"power\":%.1f,\"voltage\":%.1f,\"current\":%.2f,\"energy\":%.1f}",
                deviceId, power, voltage, current, energy);
        send(HttpRequest.newBuilder(URI.create(gatewayUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "POST reading");
    }

    /** Sets a device's registry entry through the query API. */
    void putDevice(String deviceId, String jsonBody) {
        send(HttpRequest.newBuilder(URI.create(dashboardUrl() + "api/devices/" + deviceId))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)), "PUT device");
    }

    String get(String path) {
        return send(HttpRequest.newBuilder(URI.create(dashboardUrl() + path)).GET(), "GET " + path);
    }

    private String send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                throw new AssertionError(what + " answered " + res.statusCode() + ": " + res.body());
            }
            return res.body();
        } catch (IOException e) {
            throw new AssertionError(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + " interrupted", e);
        }
    }

    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + WAIT + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("Stopping a pipeline part failed: {}", e.toString());
            }
        }
    }
}
