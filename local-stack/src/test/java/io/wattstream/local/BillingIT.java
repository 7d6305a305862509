package io.wattstream.local;

import static io.wattstream.local.StackClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Billed figures through the whole local stack: a real-shaped sequence of one charging point (a
 * reboot that rounds the counter, two readings in one second, a retry, an error flag) lands with
 * exact deltas, alerts and aggregates; a replay after a threshold change leaves exactly what a fresh
 * pipeline computes from the same raw records.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingIT {

    private static final String METER = "shellypro1pm-bill-1";
    private static final String REPLAYED = "replay-meter-1";

    private static LocalStack stack;
    private static final StackClient CLIENT = new StackClient(() -> stack);
    private static Instant classStart;
    /** Device times a little ahead (plausible up to 5 minutes), so no partition has moved past their windows. */
    private static Instant minute;

    @BeforeAll
    static void start() {
        classStart = Instant.now();
        minute = classStart.plus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        stack = LocalStack.start(ephemeral(), new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Options ephemeral() {
        return Options.parse(new String[] {"--ephemeral", "--gateway-port", "0", "--query-port", "0", "--origin-port", "0", "--connect-port", "0",
                "--state-port", "0", "--notifier-port", "0", "--kafka-port", "0", "--postgres-port", "0"}, Map.of());
    }

    private static Options onDisk(Path dir) {
        return Options.parse(new String[] {"--data-dir", dir.toString(), "--gateway-port", "0", "--query-port", "0", "--origin-port", "0",
                "--connect-port", "0", "--state-port", "0", "--notifier-port", "0", "--kafka-port", "0", "--postgres-port", "0"}, Map.of());
    }

    private static long ts(int seconds) {
        return minute.plusSeconds(seconds).getEpochSecond();
    }

    /** A Shelly action URL: whole-second {@code ts}, as devices send it. */
    private static HttpResponse<String> action(double apower, double energy, int seconds) throws Exception {
        return CLIENT.webhookGet(String.format(Locale.ROOT, "/webhook/?device=%s&apower=%s&voltage=230.1&current=%s"
                + "&energy=%s&ts=%d", METER, apower, apower / 230.1, energy, ts(seconds)));
    }

    /** A switch:0 status as a device script posts it, with returned energy, temperature and error flags. */
    private static HttpResponse<String> status(double apower, double energy, int seconds, double tempC, String errors)
            throws Exception {
        return CLIENT.post("/webhook/", String.format(Locale.ROOT, "{\"src\":\"%s\",\"ts\":%d,\"switch:0\":{\"id\":0,"
                        + "\"output\":true,\"apower\":%s,\"voltage\":229.8,\"current\":%s,\"freq\":50.0,\"pf\":0.99,"
                        + "\"aenergy\":{\"total\":%s},\"ret_aenergy\":{\"total\":0.0},\"temperature\":{\"tC\":%s},"
                        + "\"errors\":[%s]}}",
                METER, ts(seconds), apower, apower / 229.8, energy, tempC, errors));
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void aRealShapedSequenceIsStoredOnceEachWithExactDeltasAlertsAndAggregates() throws Exception {
        ok(status(1200, 544.587493, 5, 45, ""));
        ok(status(1250, 548.000493, 15, 46, ""));
        ok(status(1180, 548.0, 25, 44, ""));                 // after a reboot: the counter comes back rounded
        ok(action(1300, 551.2, 35));                          // two different readings in one second
        HttpResponse<String> second = action(1310, 551.25, 35);
        ok(second);
        ok(action(1310, 551.25, 35));                         // the device retries the second one
        ok(status(1400, 554.5, 45, 95, "\"overtemp\""));      // hot: the device flags it
        ok(status(1350, 557.8, 55, 70, ""));                  // cooled down, no error any more
        ok(status(1300, 600.0, 125, 60, ""));                 // two minutes on: the first minute closes
        HttpResponse<String> negative = CLIENT.post("/webhook/" + METER,
                "{\"power\":100,\"voltage\":230,\"current\":-0.4,\"energy\":601}");
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("'current'", "never negative");

        await("the eight distinct readings stored", () -> CLIENT.query(
                "select count(*) from measurement where device_id = '" + METER + "'").equals(List.of("8")));
        Instant pair = minute.plusSeconds(35);
        assertThat(CLIENT.query("select \"timestamp\" from measurement where device_id = '" + METER
                + "' and \"timestamp\" between '" + pair + "' and '" + pair.plusMillis(1) + "' order by 1"))
                .as("the second reading of the second is stored 1 µs later").hasSize(2);
        assertThat(CLIENT.query("select energy_delta_wh || ' ' || counter_reset || ' ' || implausible_jump"
                + " from measurement where device_id = '" + METER + "' order by \"timestamp\"")).containsExactly(
                "0 false false", "3.413 false false", "0 false false", "3.199507 false false", "0.05 false false",
                "3.25 false false", "3.3 false false", "42.2 false false");
        assertThat(CLIENT.query("select errors from measurement where device_id = '" + METER
                + "' and errors is not null")).containsExactly("overtemp");
        assertThat(CLIENT.query("select count(*) from measurement where device_id = '" + METER
                + "' and energy_returned = 0 and energy_from_power_wh > 0")).containsExactly("5");

        await("the error and temperature alerts cleared", () -> CLIENT.query("select kind || ' ' || state || ' ' || detail"
                + " from alert where device_id = '" + METER + "' order by kind").equals(List.of(
                "DEVICE_ERROR CLEARED overtemp", "OVER_TEMPERATURE CLEARED over 80.0 C")));
        JsonNode alerts = Json.MAPPER.readTree(CLIENT.get("/api/alerts/?device=" + METER + "&kind=DEVICE_ERROR"));
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.path("detail").asText()).isEqualTo("overtemp");
            assertThat(a.path("started_at").asText()).isEqualTo(minute.plusSeconds(45).toString());
            assertThat(a.path("ended_at").asText()).isEqualTo(minute.plusSeconds(55).toString());
        });

        await("the closed minute", () -> !CLIENT.query("select count from measurement_1m where device_id = '" + METER
                + "' and window_start = '" + minute + "'").isEmpty());
        assertThat(CLIENT.query("select count || ' ' || energy_wh || ' ' || energy_returned_wh || ' ' "
                + "|| (energy_from_power_wh > 0) from measurement_1m where device_id = '" + METER + "'"))
                .containsExactly("7 13.212507 0 true");
        JsonNode window = Json.MAPPER.readTree(CLIENT.get("/api/aggregates/?window=1m&device=" + METER + "&start="
                + minute + "&end=" + minute)).path("results").get(0);
        assertThat(window.path("energy_wh").asDouble()).isEqualTo(13.212507);
        assertThat(window.has("energy_from_power_wh")).isTrue();
        assertThat(window.has("energy_mismatch")).isTrue();
        assertThat(window.path("late_readings").asLong()).isZero();
    }

    @Test
    @Order(2)
    void aReplayAfterAThresholdChangeLeavesWhatAFreshPipelineComputes() throws Exception {
        // Over the default 3500 W: the live pipeline raises and clears a power alert.
        double[] powers = {3000, 3800, 3900, 3000, 3100};
        for (int i = 0; i < powers.length; i++) {
            ok(CLIENT.post("/webhook/" + REPLAYED, String.format(Locale.ROOT, "{\"power\":%s,\"voltage\":230,"
                    + "\"current\":%s,\"energy\":%s,\"ts\":%d}", powers[i], powers[i] / 230, 2000 + i * 10.5, ts(i * 10))));
        }
        await("the live power alert, cleared", () -> CLIENT.query("select state from alert where device_id = '"
                + REPLAYED + "'").equals(List.of("CLEARED")));
        ok(CLIENT.put("/api/devices/" + REPLAYED, "{\"name\":\"Bay 9\",\"site\":\"Depot\",\"threshold_w\":4000}"));
        await("the registry change", () -> CLIENT.get("/api/devices/" + REPLAYED).contains("\"threshold_w\":4000"));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = Main.replay(new String[] {"--from", classStart.toString(), "--kafka-port",
                Integer.toString(stack.kafka().port()), "--postgres-port", Integer.toString(stack.postgres().port())},
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Replayed", "wrote");

        await("the replayed readings under the new threshold", () -> CLIENT.query("select count(*) from measurement"
                + " where device_id = '" + REPLAYED + "' and over_threshold").equals(List.of("0")));
        await("no power alert under the new threshold", () -> CLIENT.query("select count(*) from alert"
                + " where device_id = '" + REPLAYED + "'").equals(List.of("0")));
        await("the meter's alerts written again", () -> CLIENT.query("select count(*) from alert where device_id = '"
                + METER + "'").equals(List.of("2")));
        Instant start = io.wattstream.streams.replay.Replay.alignedStart(classStart);
        Snapshot replayed = Snapshot.of(CLIENT, start);
        List<ConsumerRecord<byte[], byte[]>> raw = rawRecords(stack);
        stack.close();

        // A fresh pipeline: the same registry entry (read whole by the stream processor at its start, so
        // it applies from the first record), then the same raw records into the same partitions.
        Path fresh = Files.createTempDirectory("wattstream-fresh-");
        try {
            stack = LocalStack.start(onDisk(fresh), new PrintStream(System.out, true, StandardCharsets.UTF_8));
            ok(CLIENT.put("/api/devices/" + REPLAYED, "{\"name\":\"Bay 9\",\"site\":\"Depot\",\"threshold_w\":4000}"));
            await("the registry entry", () -> CLIENT.get("/api/devices/" + REPLAYED).contains("\"threshold_w\":4000"));
            stack.close();
            stack = LocalStack.start(onDisk(fresh), new PrintStream(System.out, true, StandardCharsets.UTF_8));
            produce(stack, raw);
            await("the fresh pipeline's tables equal the replayed ones", () -> Snapshot.of(CLIENT, start).equals(replayed));
        } finally {
            stack.close();
            stack = null;
            io.wattstream.embedded.Dirs.deleteRecursively(fresh);
        }
        assertThat(replayed.measurement()).hasSizeGreaterThan(10);
        assertThat(replayed.windows()).isNotEmpty();
        assertThat(replayed.alerts()).isNotEmpty();
    }

    /** Every row from {@code start} on, in a stable order; offline alerts (wall clock) left out. */
    record Snapshot(List<String> measurement, List<String> alerts, List<String> windows) {
        static Snapshot of(StackClient c, Instant start) {
            String from = "'" + start + "'";
            List<String> windows = new ArrayList<>(c.query("select m::text from measurement_1m m where window_start >= "
                    + from + " order by device_id, window_start"));
            windows.addAll(c.query("select h::text from measurement_1h h where window_start >= " + from
                    + " order by device_id, window_start"));
            return new Snapshot(
                    c.query("select m::text from measurement m where \"timestamp\" >= " + from
                            + " order by device_id, \"timestamp\""),
                    c.query("select a::text from alert a where started_at >= " + from + " and kind <> 'DEVICE_OFFLINE'"
                            + " order by device_id, kind, started_at, detail"),
                    windows);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> rawRecords(LocalStack s) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                s.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(s.rawTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            c.assign(parts);
            c.seekToBeginning(parts);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading the raw topic").isLessThan(deadline);
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static void produce(LocalStack s, List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                s.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                p.send(new ProducerRecord<>(s.rawTopic(), r.partition(), r.timestamp(), r.key(), r.value())).get();
            }
        }
    }
}
