package io.wattstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Alert;
import io.wattstream.model.DeadLetter;
import io.wattstream.model.Json;
import io.wattstream.model.JsonSerde;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two processor instances in one JVM (each with its own state directory and /state server) on the
 * embedded broker, sharing 3-partition raw topics: output exactly once, /state routing, restart.
 */
class StreamsClusterIT {

    private static final JsonSerde<RawReading> RAW = new JsonSerde<>(RawReading.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<Path> DIRS = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createPipelineTopics(3);
        kafka.createTopics(List.of(new NewTopic("restart.readings.raw", 3, (short) 1)));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        DIRS.forEach(Dirs::deleteRecursively);
    }

    private static StreamsApp instance(String applicationId, String rawTopic, Path stateDir) {
        Map<String, String> conf = new HashMap<>();
        conf.put("server.host", "127.0.0.1");
        conf.put("server.port", "0");
        conf.put("app.kafka.bootstrap", kafka.bootstrapServers());
        conf.put("app.application-id", applicationId);
        conf.put("app.raw-topic", rawTopic);
        conf.put("app.state-dir", stateDir.toString());
        conf.put("app.advertised-host", "127.0.0.1");
        conf.put("app.create-topics", "false");
        return StreamsApp.start(Config.just(ConfigSources.create(conf)));
    }

    private static Path stateDir(String name) {
        Path dir = Dirs.temp("wattstream-" + name + "-");
        DIRS.add(dir);
        return dir;
    }

    private static RawReading reading(String device, double power, double energy, Instant at) {
        return RawReading.builder().deviceId(device).power(power).voltage(230.0).current(power / 230.0).energy(energy)
                .at(at).source(RawReading.Source.FLAT_POST).freq(50.0).pf(0.99).temperatureC(40.0).output(true).build();
    }

    private static void send(String topic, RawReading r) {
        producer.send(new ProducerRecord<>(topic, null, r.receivedAt().toEpochMilli(), r.deviceId(), RAW.toBytes(r)));
    }

    private static HttpResponse<String> get(StreamsApp app, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    private static JsonNode json(HttpResponse<String> res) {
        try {
            return Json.MAPPER.readTree(res.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + res.body(), e);
        }
    }

    private static void awaitBothRunning(StreamsApp a, StreamsApp b) {
        Poll.until(() -> "both instances running with tasks: " + a.streams().state() + "/" + b.streams().state(), WAIT,
                () -> a.isRunning() && b.isRunning() && activeTasks(a) > 0 && activeTasks(b) > 0);
    }

    private static int activeTasks(StreamsApp app) {
        return app.streams().metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    private static Set<String> identities(List<Reading> readings) {
        return readings.stream().map(r -> r.deviceId() + "@" + r.timestamp()).collect(Collectors.toSet());
    }

    @Test
    void twoInstancesPublishEveryReadingOnceAndEitherAnswersStateForAnyDevice() throws Exception {
        String appId = "wattstream-cluster";
        try (StreamsApp a = instance(appId, Topics.RAW.name(), stateDir("a"));
             StreamsApp b = instance(appId, Topics.RAW.name(), stateDir("b"));
             TopicReader<Reading> out = new TopicReader<>(kafka.bootstrapServers(), Topics.READINGS);
             TopicReader<byte[]> dlq = new TopicReader<>(kafka.bootstrapServers(), Topics.DLQ)) {
            awaitBothRunning(a, b);

            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
            int devices = 12;
            // Long enough above 100 W for charging sessions to open (a minute), except c-dev-0 at exactly 100 W.
            int perDevice = 70;
            Map<String, Instant> last = new HashMap<>();
            for (int i = 0; i < perDevice; i++) {
                for (int d = 0; d < devices; d++) {
                    String id = "c-dev-" + d;
                    Instant at = t0.plusSeconds(i).plusNanos(d * 1000L);
                    send(Topics.RAW.name(), reading(id, 100 + d, 1000 + i, at));
                    last.put(id, at);
                }
            }
            producer.send(new ProducerRecord<>(Topics.RAW.name(), "c-dev-0", "not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();

            int expected = devices * perDevice;
            out.awaitValues(r -> r.key().startsWith("c-"), v -> v.size() >= expected, WAIT);
            List<Reading> readings = out.drain(r -> r.key().startsWith("c-"), Duration.ofSeconds(1));
            assertThat(readings).hasSize(expected);
            assertThat(identities(readings)).hasSize(expected);

            assertThat(dlq.awaitValues(r -> "c-dev-0".equals(r.key()), v -> !v.isEmpty(), WAIT)).hasSize(1);
            assertThat(new String(dlq.records().get(0).headers().lastHeader(DeadLetter.REASON).value(),
                    StandardCharsets.UTF_8)).isEqualTo(DeadLetter.UNREADABLE);

            // Both instances did part of the work, and both answer for every device.
            assertThat(activeTasks(a)).isPositive();
            assertThat(activeTasks(b)).isPositive();
            Set<String> servedBy = new HashSet<>();
            for (StreamsApp asked : List.of(a, b)) {
                for (int d = 0; d < devices; d++) {
                    String id = "c-dev-" + d;
                    HttpResponse<String> res = get(asked, "/state/devices/" + id);
                    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
                    JsonNode state = json(res);
                    assertThat(state.get("device_id").asText()).isEqualTo(id);
                    assertThat(Instant.parse(state.at("/latest_reading/timestamp").asText())).isEqualTo(last.get(id));
                    assertThat(state.at("/windows/1m/count").asLong()).isPositive();
                    assertThat(state.at("/windows/1d/energy_wh").asDouble()).isEqualTo(perDevice - 1.0);
                    assertThat(state.has("session")).as(id).isEqualTo(d > 0);
                    servedBy.add(state.get("served_by").asText());
                }
                JsonNode all = json(get(asked, "/state/devices"));
                assertThat(all.get("devices")).hasSize(devices);
                // The open sessions of both instances' meters, from either.
                JsonNode open = json(get(asked, "/state/sessions")).get("sessions");
                assertThat(open).hasSize(devices - 1);
                assertThat(open).allSatisfy(session -> {
                    assertThat(session.get("state").asText()).isEqualTo("UPDATED");
                    assertThat(Instant.parse(session.get("started_at").asText())).isEqualTo(t0.plusNanos(
                            Long.parseLong(session.get("device_id").asText().substring("c-dev-".length())) * 1000L));
                });
            }
            assertThat(servedBy).containsExactlyInAnyOrder(
                    "127.0.0.1:" + a.port(), "127.0.0.1:" + b.port());

            HttpResponse<String> unknown = get(b, "/state/devices/no-such-device");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(json(unknown).get("error").asText()).contains("no-such-device");
            assertThat(get(a, "/state/devices/bad%20id").statusCode()).isEqualTo(400);

            // The rules each instance applies, for the query API and the dashboard to show.
            for (StreamsApp asked : List.of(a, b)) {
                JsonNode rules = json(get(asked, "/state/rules"));
                assertThat(rules.get("default_threshold_w").asDouble()).isEqualTo(3500);
                assertThat(rules.get("hysteresis").asDouble()).isEqualTo(0.05);
                assertThat(rules.get("offline_after_s").asDouble()).isEqualTo(300);
            }
            HttpResponse<String> noRoute = get(a, "/state/nothing-here");
            assertThat(noRoute.statusCode()).isEqualTo(404);
            assertThat(json(noRoute).has("error")).as(noRoute.body()).isTrue();

            HttpResponse<String> health = get(a, "/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("RUNNING");
        }
    }

    @Test
    void anInstanceHoldingNoPartitionLeavesEitherAnsweringForEveryDevice() throws Exception {
        // One partition, two instances: one holds the only task, the other none (as a restarted instance
        // does while it warms up its copies), and must neither fail the all-devices answer nor be asked.
        String raw = "spare.readings.raw";
        kafka.createTopics(List.of(new NewTopic(raw, 1, (short) 1)));
        try (StreamsApp a = instance("wattstream-spare", raw, stateDir("spare-a"));
             StreamsApp b = instance("wattstream-spare", raw, stateDir("spare-b"))) {
            Poll.until(() -> "both running, one task between them: " + activeTasks(a) + "/" + activeTasks(b), WAIT,
                    () -> a.isRunning() && b.isRunning() && activeTasks(a) + activeTasks(b) == 1);
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20));
            List<String> devices = List.of("s-1", "s-2", "s-3");
            for (int d = 0; d < devices.size(); d++) {
                send(raw, reading(devices.get(d), 100 + d, 1000, t0.plusSeconds(d)));
            }
            producer.flush();
            for (StreamsApp asked : List.of(a, b)) {
                Poll.until(() -> "all devices from " + (activeTasks(asked) == 0 ? "the idle" : "the busy") + " instance: "
                        + get(asked, "/state/devices").body(), WAIT, () -> {
                    HttpResponse<String> all = get(asked, "/state/devices");
                    return all.statusCode() == 200 && json(all).get("devices").size() == devices.size();
                });
                HttpResponse<String> sessions = get(asked, "/state/sessions");
                assertThat(sessions.statusCode()).as("open sessions: " + sessions.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void instanceStoppedMidStreamAndRestartedLosesNothingDuplicatesNothingAndKeepsAlertState() throws Exception {
        String appId = "wattstream-restart";
        String raw = "restart.readings.raw";
        Path dirB = stateDir("restart-b");
        String hot = "r-hot";
        List<String> devices = List.of(hot, "r-1", "r-2", "r-3", "r-4", "r-5");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(40));
        int perPhase = 20;
        // 3 s apart: 60 readings per device span three 1-minute windows, the first two of which close.
        java.util.function.IntFunction<List<RawReading>> phase = p -> {
            List<RawReading> list = new ArrayList<>();
            for (int i = 0; i < perPhase; i++) {
                int n = p * perPhase + i;
                for (int d = 0; d < devices.size(); d++) {
                    String id = devices.get(d);
                    double power = 200;
                    if (id.equals(hot)) {
                        power = n < 5 ? 3000 : n < 55 ? 3600 + (n == 30 ? 350 : 0) : 3000;
                    }
                    list.add(reading(id, power, 10_000 + n * 2.5, t0.plusSeconds(n * 3L).plusNanos(d * 1000L)));
                }
            }
            return list;
        };

        StreamsApp a = instance(appId, raw, stateDir("restart-a"));
        StreamsApp b = instance(appId, raw, dirB);
        try (TopicReader<Reading> out = new TopicReader<>(kafka.bootstrapServers(), Topics.READINGS);
             TopicReader<Alert> alerts = new TopicReader<>(kafka.bootstrapServers(), Topics.ALERTS);
             TopicReader<WindowStats> windows = new TopicReader<>(kafka.bootstrapServers(), Topics.READINGS_1M)) {
            awaitBothRunning(a, b);
            phase.apply(0).forEach(r -> send(raw, r));
            producer.flush();
            out.awaitValues(r -> r.key().startsWith("r-"), v -> v.size() >= perPhase * devices.size(), WAIT);

            // Phase 2 is produced while instance B goes away.
            CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> {
                for (RawReading r : phase.apply(1)) {
                    send(raw, r);
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(3).toNanos());
                }
                producer.flush();
            });
            b.close();
            streaming.get();
            out.awaitValues(r -> r.key().startsWith("r-"), v -> v.size() >= 2 * perPhase * devices.size(), WAIT);

            b = instance(appId, raw, dirB);
            awaitBothRunning(a, b);
            phase.apply(2).forEach(r -> send(raw, r));
            // After the restart, the identities given out before it still hold (restored from the
            // changelog): an exact retry of a first reading is dropped, a different reading at its
            // time is stored one microsecond later.
            List<RawReading> firsts = phase.apply(0).subList(0, devices.size());
            firsts.forEach(r -> send(raw, r));
            firsts.forEach(r -> send(raw, r.toBuilder().power(r.power() + 1).build()));
            producer.flush();

            int expected = 3 * perPhase * devices.size() + devices.size();
            out.awaitValues(r -> r.key().startsWith("r-"), v -> v.size() >= expected, WAIT);
            List<Reading> readings = out.drain(r -> r.key().startsWith("r-"), Duration.ofSeconds(1));
            assertThat(readings).hasSize(expected);
            assertThat(identities(readings)).hasSize(expected);
            assertThat(readings).filteredOn(r -> r.timestamp().equals(t0.plusNanos(devices.indexOf(r.deviceId()) * 1000L + 1000)))
                    .extracting(Reading::deviceId).containsExactlyInAnyOrderElementsOf(devices);
            // Energy adds up exactly per device: nothing counted twice, nothing lost.
            Map<String, Double> energy = readings.stream().collect(Collectors.groupingBy(Reading::deviceId,
                    Collectors.summingDouble(Reading::energyDeltaWh)));
            assertThat(energy.values()).allSatisfy(e -> assertThat(e).isCloseTo(59 * 2.5,
                    org.assertj.core.api.Assertions.within(1e-6)));

            List<Alert> hotAlerts = alerts.awaitValues(r -> hot.equals(r.key()), v -> v.size() >= 2, WAIT);
            hotAlerts = alerts.drain(r -> hot.equals(r.key()), Duration.ofMillis(500));
            assertThat(hotAlerts).extracting(Alert::state).containsExactly(Alert.State.RAISED, Alert.State.CLEARED);
            assertThat(hotAlerts.get(1).startedAt()).isEqualTo(hotAlerts.get(0).startedAt()).isEqualTo(t0.plusSeconds(15));
            assertThat(hotAlerts.get(1).peakW()).isEqualTo(3950);   // reached in phase 2, while B was away

            // The two closed windows of each device come out once, complete.
            List<WindowStats> closed = windows.awaitValues(r -> r.key().startsWith("r-"),
                    v -> v.size() >= 2 * devices.size(), WAIT);
            closed = windows.drain(r -> r.key().startsWith("r-"), Duration.ofMillis(500));
            assertThat(closed).hasSize(2 * devices.size());
            assertThat(closed).allSatisfy(w -> assertThat(w.count()).isEqualTo(20));

            HttpResponse<String> hotState = get(b, "/state/devices/" + hot);
            assertThat(hotState.statusCode()).isEqualTo(200);
            assertThat(json(hotState).at("/alerts/0/state").asText()).isEqualTo("CLEARED");
        } finally {
            a.close();
            b.close();
        }
    }
}
