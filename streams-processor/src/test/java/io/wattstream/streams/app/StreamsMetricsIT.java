package io.wattstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.kit.http.PrometheusText;
import io.wattstream.model.JsonSerde;
import io.wattstream.model.RawReading;
import io.wattstream.model.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stream processor's {@code /observe/metrics}: Prometheus text with what operators watch. */
class StreamsMetricsIT {

    private static final JsonSerde<RawReading> RAW = new JsonSerde<>(RawReading.class);
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static EmbeddedKafka kafka;
    private static Path stateDir;
    private static StreamsApp app;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createPipelineTopics(1);
        stateDir = Dirs.temp("wattstream-metrics-it-");
        app = StreamsApp.start(Config.just(ConfigSources.create(Map.of(
                "server.host", "127.0.0.1",
                "server.port", "0",
                "app.kafka.bootstrap", kafka.bootstrapServers(),
                "app.application-id", "metrics-it",
                "app.state-dir", stateDir.toString(),
                "app.advertised-host", "127.0.0.1",
                "app.create-topics", "false")))).awaitRunning(WAIT);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        Dirs.deleteRecursively(stateDir);
    }

    @Test
    void exposesProcessedDuplicatesDeadLettersLateRecordsLagAndStoreSizesAsPrometheusText() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        send(reading("metered-1", 100, 1, t));
        send(reading("metered-1", 100, 1, t));                              // an exact retry: a duplicate
        send(reading("metered-1", 200, 2, t.plus(Duration.ofMinutes(3))));  // closes the first minute (and its grace)
        send(reading("metered-1", 150, 2, t.plusSeconds(20)));              // too late for its minute
        producer.send(new ProducerRecord<>(Topics.RAW.name(), "metered-1", "{not json".getBytes(StandardCharsets.UTF_8)));
        producer.flush();

        PrometheusText metrics = awaitMetrics(m -> m.sum("kafka_stream_wattstream_duplicates_dropped_total").orElse(0.0) >= 1
                && m.sum("kafka_stream_wattstream_dead_lettered_total").orElse(0.0) >= 1
                && m.sum("kafka_stream_wattstream_late_readings_1m_total").orElse(0.0) >= 1
                && m.sum("kafka_stream_thread_process_total").orElse(0.0) >= 4);

        assertThat(metrics.types()).containsEntry("kafka_stream_thread_process_total", "counter");
        assertThat(metrics.sum("kafka_stream_wattstream_late_readings_1h_total")).contains(0.0); // on time for its hour
        assertThat(metrics.samples("kafka_stream_task_dropped_records_total")).isNotEmpty();
        assertThat(metrics.samples("kafka_consumer_fetch_manager_records_lag_max")).isNotEmpty();
        assertThat(metrics.samples("wattstream_state_store_entries"))
                .anySatisfy(s -> {
                    assertThat(s.labels()).containsEntry("store", "latest-reading-store");
                    assertThat(s.value()).isEqualTo(1);
                })
                .anySatisfy(s -> {
                    assertThat(s.labels()).containsEntry("store", "minute-windows-store");
                    assertThat(s.value()).isGreaterThanOrEqualTo(1);
                });
    }

    private static RawReading reading(String device, double power, double energy, Instant at) {
        return RawReading.builder().deviceId(device).power(power).voltage(230.0).current(power / 230.0).energy(energy)
                .at(at).source(RawReading.Source.FLAT_POST).freq(50.0).pf(0.99).temperatureC(40.0).output(true).build();
    }

    private static void send(RawReading r) {
        producer.send(new ProducerRecord<>(Topics.RAW.name(), null, r.receivedAt().toEpochMilli(), r.deviceId(), RAW.toBytes(r)));
    }

    private static PrometheusText awaitMetrics(java.util.function.Predicate<PrometheusText> done) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/observe/metrics"))
                    .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
            body = res.body();
            PrometheusText parsed = PrometheusText.parse(body); // each scrape must be valid, not only the last
            if (done.test(parsed)) {
                return parsed;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        throw new AssertionError("metrics incomplete after " + WAIT + ":\n" + body);
    }
}
