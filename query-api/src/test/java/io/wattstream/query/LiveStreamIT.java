package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Alert;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/stream} over real HTTP, fed from records produced on the real topics. */
class LiveStreamIT {

    static final Duration WAIT = Duration.ofSeconds(15);
    static TestStack stack;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        stack = new TestStack(Map.of("app.sse.heartbeat", "500ms"));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Poll.until("live feed at the end of its topics", WAIT, stack.api::liveFeedReady);
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    static Reading reading(String device, double power) {
        Instant t = Instant.now();
        return Reading.builder().deviceId(device).power(power).voltage(231.2).current(power / 231.2).energy(5000)
                .timestamp(t).receivedAt(t.plusNanos(1000)).source(RawReading.Source.FLAT_POST).freq(50.0).pf(0.99)
                .temperatureC(40.0).output(true).energyDeltaWh(0.1).overThreshold(power > 3500).deviceName("Bay")
                .site("Depot").build();
    }

    static void produce(String topic, String key, Object value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, Json.MAPPER.writeValueAsString(value))).get();
    }

    static SseClient connect(String query, String lastEventId) throws Exception {
        SseClient c = new SseClient(stack.url("/api/stream" + query), lastEventId);
        assertThat(c.status()).isEqualTo(200);
        return c;
    }

    @Test
    void deliversAReadingAndAnAlertProducedOnTheTopics() throws Exception {
        try (SseClient client = connect("?device=sse-1", null)) {
            client.awaitComment("connected", WAIT);
            produce(Topics.READINGS.name(), "sse-1", reading("sse-1", 4100));
            Alert alert = new Alert("sse-1", Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.RAISED, 3500.0, 4100.0, 4100.0,
                    Instant.now(), null, null);
            produce(Topics.ALERTS.name(), "sse-1", alert);

            SseClient.Message r = client.nextEvent(WAIT);
            assertThat(r.name()).isEqualTo("reading");
            assertThat(r.id()).isNotBlank();
            JsonNode rj = Json.MAPPER.readTree(r.data());
            assertThat(rj.path("device_id").asText()).isEqualTo("sse-1");
            assertThat(rj.path("power").asDouble()).isEqualTo(4100);
            assertThat(rj.path("over_threshold").asBoolean()).isTrue();

            SseClient.Message a = client.nextEvent(WAIT);
            assertThat(a.name()).isEqualTo("alert");
            assertThat(Json.MAPPER.readValue(a.data(), Alert.class)).isEqualTo(alert);
        }
    }

    @Test
    void replayedRecordsAreNotShownAsLiveEvents() throws Exception {
        try (SseClient client = connect("?device=sse-6", null)) {
            client.awaitComment("connected", WAIT);
            ProducerRecord<String, String> replayed = new ProducerRecord<>(Topics.READINGS.name(), "sse-6",
                    Json.MAPPER.writeValueAsString(reading("sse-6", 111)));
            replayed.headers().add(Topics.REPLAY_HEADER, "replay-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(replayed).get();
            produce(Topics.READINGS.name(), "sse-6", reading("sse-6", 222));
            // Same partition, so the live one comes after the replayed one: had it been shown, it came first.
            assertThat(Json.MAPPER.readTree(client.nextEvent(WAIT).data()).path("power").asDouble()).isEqualTo(222);
        }
    }

    @Test
    void aDeviceFilterPassesOnlyThatDevice() throws Exception {
        try (SseClient client = connect("/?device=sse-2", null)) {
            client.awaitComment("connected", WAIT);
            produce(Topics.READINGS.name(), "other", reading("other", 10));
            produce(Topics.READINGS.name(), "sse-2", reading("sse-2", 20));
            SseClient.Message m = client.nextEvent(WAIT);
            assertThat(Json.MAPPER.readTree(m.data()).path("device_id").asText()).isEqualTo("sse-2");
        }
    }

    @Test
    void manyClientsShareTheOneConsumer() throws Exception {
        try (SseClient a = connect("?device=sse-3", null); SseClient b = connect("?device=sse-3", null)) {
            a.awaitComment("connected", WAIT);
            b.awaitComment("connected", WAIT);
            produce(Topics.READINGS.name(), "sse-3", reading("sse-3", 30));
            assertThat(a.nextEvent(WAIT).id()).isEqualTo(b.nextEvent(WAIT).id());
        }
    }

    @Test
    void aReconnectingClientResumesAfterItsLastEventId() throws Exception {
        String lastId;
        try (SseClient first = connect("?device=sse-4", null)) {
            first.awaitComment("connected", WAIT);
            produce(Topics.READINGS.name(), "sse-4", reading("sse-4", 1));
            lastId = first.nextEvent(WAIT).id();
        }
        produce(Topics.READINGS.name(), "sse-4", reading("sse-4", 2));
        produce(Topics.READINGS.name(), "sse-4", reading("sse-4", 3));
        // Both were published once the feed has them; wait on a watcher that sees them too.
        try (SseClient again = connect("?device=sse-4", lastId)) {
            again.awaitComment("resumed", WAIT);
            assertThat(Json.MAPPER.readTree(again.nextEvent(WAIT).data()).path("power").asDouble()).isEqualTo(2);
            assertThat(Json.MAPPER.readTree(again.nextEvent(WAIT).data()).path("power").asDouble()).isEqualTo(3);
        }
    }

    @Test
    void metricsCountClientsAndEvents() throws Exception {
        try (SseClient client = connect("?device=sse-5", null)) {
            client.awaitComment("connected", WAIT);
            produce(Topics.READINGS.name(), "sse-5", reading("sse-5", 5));
            client.nextEvent(WAIT);
            String metrics = stack.get("/observe/metrics").body();
            assertThat(metrics).containsPattern("(?m)^query_stream_clients(\\{[^}]*\\})? [1-9]");
            assertThat(metrics).containsPattern("(?m)^query_stream_events_total(\\{[^}]*\\})? [1-9]");
        }
    }

    @Test
    void heartbeatsKeepAnIdleStreamAlive() throws Exception {
        try (SseClient client = connect("?device=nobody", null)) {
            client.awaitComment("heartbeat", WAIT);
            client.awaitComment("heartbeat", WAIT);
        }
    }
}
