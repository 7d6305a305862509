package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import io.wattstream.streams.app.StreamsApp;

/**
 * Live state from the real stream processor: a raw reading goes through its topology, and the
 * device and aggregate endpoints merge what {@code /state} then knows, and the thresholds shown are
 * the ones it applies; with the stream processor stopped they still answer from PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveStateIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static TestStack stack;
    static StreamsApp streams;
    static Path stateDir;

    @BeforeAll
    static void start() throws Exception {
        int statePort = Ports.free();
        stack = new TestStack(Map.of("app.state.url", "http://127.0.0.1:" + statePort, "app.state.timeout", "3s"));
        stateDir = Dirs.temp("query-api-streams-");
        streams = StreamsApp.start(Config.builder(ConfigSources.create(Map.of(
                        "server.host", "127.0.0.1",
                        "server.port", Integer.toString(statePort),
                        "app.kafka.bootstrap", stack.kafka.bootstrapServers(),
                        "app.state-dir", stateDir.toString(),
                        "app.application-id", "query-api-live-state-it",
                        "app.advertised-host", "127.0.0.1",
                        "app.create-topics", "false")))
                .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build())
                .awaitRunning(WAIT);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            RawReading raw = RawReading.builder().deviceId("st-1").power(4200.0).voltage(231.0).current(18.2)
                    .energy(12_000.0).at(now).source(RawReading.Source.FLAT_POST).freq(50.0).pf(0.99).temperatureC(38.0)
                    .output(true).build();
            producer.send(new ProducerRecord<>(Topics.RAW.name(), "st-1", Json.MAPPER.writeValueAsString(raw))).get();
        }
        // What the sink would have written for it: the history side of the merge.
        stack.insertReading("st-1", Instant.now().minusSeconds(3600), 1000, "Bay 1", "Depot");
    }

    @AfterAll
    static void stop() {
        if (streams != null) {
            streams.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (stateDir != null) {
            Dirs.deleteRecursively(stateDir);
        }
    }

    static JsonNode json(String path) {
        try {
            return Json.MAPPER.readTree(stack.get(path).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(1)
    void configTellsTheDashboardTheThresholdsTheStreamProcessorApplies() {
        for (String path : java.util.List.of("/api/config", "/api/config/")) {
            JsonNode cfg = json(path);
            assertThat(cfg.path("alert_threshold_w").asDouble()).as(path).isEqualTo(3500);
            assertThat(cfg.path("alert_hysteresis").asDouble()).isEqualTo(0.05);
            assertThat(cfg.path("alert_clear_below_w").asDouble()).isEqualTo(3325);
            assertThat(cfg.path("offline_after_s").asDouble()).isEqualTo(300);
            assertThat(cfg.path("stale_after_s").asDouble()).isEqualTo(150);
        }
    }

    @Test
    @Order(2)
    void effectiveThresholdsAreTheDevicesOwnElseTheStreamProcessorsDefault() {
        Poll.until("st-1 in live state", WAIT, () -> json("/api/devices/st-1").path("live_status").asText().equals("ok"));
        assertThat(json("/api/devices/st-1").path("effective_threshold_w").asDouble()).isEqualTo(3500);
        assertThat(stack.put("/api/devices/spare-meter", "{\"name\":\"Spare\"}").statusCode()).isEqualTo(200);
        assertThat(json("/api/devices/spare-meter").path("effective_threshold_w").asDouble()).isEqualTo(3500);
        assertThat(stack.put("/api/devices/big-meter", "{\"name\":\"Bay 2\",\"threshold_w\":7400}").statusCode()).isEqualTo(200);
        assertThat(json("/api/devices/big-meter").path("effective_threshold_w").asDouble()).isEqualTo(7400);
    }

    /** Last: it stops the stream processor. */
    @Test
    @Order(3)
    void devicesMergeTheStreamProcessorsStateAndDegradeWithoutIt() {
        Poll.until("st-1 in live state", WAIT, () -> json("/api/devices/st-1").path("live_status").asText().equals("ok"));
        JsonNode dev = json("/api/devices/st-1");
        assertThat(dev.path("live").path("latest_reading").path("power").asDouble()).isEqualTo(4200);
        assertThat(dev.path("last_reading").path("power").asDouble()).isEqualTo(1000);
        JsonNode listed = null;
        for (JsonNode d : json("/api/devices/")) {
            if (d.path("device_id").asText().equals("st-1")) {
                listed = d;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("live_status").asText()).isEqualTo("ok");

        // The open one-minute window of the reading comes from /state.
        Poll.until("open window in aggregates", WAIT,
                () -> json("/api/aggregates/?window=1m&device=st-1").path("results").size() == 1);
        JsonNode agg = json("/api/aggregates/?window=1m&device=st-1");
        assertThat(agg.path("open_window").asText()).isEqualTo("included");
        JsonNode w = agg.path("results").get(0);
        assertThat(w.path("open").asBoolean()).isTrue();
        assertThat(w.path("power_max").asDouble()).isEqualTo(4200);
        assertThat(w.path("count").asLong()).isEqualTo(1);

        streams.close();
        streams = null;
        Poll.until("state unavailable", WAIT,
                () -> json("/api/devices/st-1").path("live_status").asText().equals("unavailable"));
        assertThat(stack.get("/api/devices/st-1").statusCode()).isEqualTo(200);
        assertThat(json("/api/devices/st-1").path("last_reading").path("power").asDouble()).isEqualTo(1000);
        assertThat(json("/api/aggregates/?window=1m&device=st-1").path("open_window").asText()).isEqualTo("unavailable");
        assertThat(stack.get("/api/devices/").statusCode()).isEqualTo(200);
        // No copy of the thresholds to fall back on: once the cached rules expire, /api/config says why it cannot answer.
        Poll.until("config unavailable", WAIT, () -> stack.get("/api/config").statusCode() == 503);
        assertThat(json("/api/config").path("error").asText()).contains("stream processor");
    }
}
