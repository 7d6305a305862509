package io.wattstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import io.wattstream.sink.ConnectorFiles;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The sink end to end on a real broker, PostgreSQL 17 and an in-process Connect worker. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SinkIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00.123456Z");

    /** The sink module's folder: its connector files and apply-connectors.sh. */
    private static final Path SINK = Path.of("..", "sink").toAbsolutePath().normalize();

    private static Infrastructure infra;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres pg;
    private static EmbeddedConnect connect;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        infra = Infrastructure.builder()
                .partitions(1)
                .postgres(b -> b.registerShutdownHook(false))
                .sink(b -> b.groupId("sink-it-" + UUID.randomUUID()))
                .start();
        kafka = infra.kafka();
        pg = infra.postgres();
        connect = infra.connect();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    @Order(1)
    void everyConnectorRunsWithTheFilesConfig() {
        for (String name : ConnectorFiles.NAMES) {
            assertThat(connect.status(name)).get().matches(EmbeddedConnect.ConnectorStatus::running, "running");
            // The worker stores the file as written: the password stays a reference.
            assertThat(connect.connectorConfig(name)).containsEntry("connection.password", "${env:POSTGRES_PASSWORD}");
        }
    }

    @Test
    @Order(2)
    void readingsOneMicrosecondApartBecomeTwoRowsWithExactValues() throws Exception {
        Reading full = reading("exact-1", T0, 1234.5);
        Reading sparse = Reading.builder().deviceId("exact-1").power(0.1).voltage(229.75).current(0.004)
                .energy(98765.4321).timestamp(T0.plusNanos(1_000)).receivedAt(T0.plusNanos(2_000)).counterReset(true)
                .build();
        // Sent together so that they most likely share one batch (one UNNEST statement).
        producer.send(new ProducerRecord<>(Topics.READINGS.name(), "exact-1", Json.MAPPER.writeValueAsBytes(full)));
        producer.send(new ProducerRecord<>(Topics.READINGS.name(), "exact-1", Json.MAPPER.writeValueAsBytes(sparse)));
        producer.flush();

        awaitRows("select count(*) from measurement where device_id = 'exact-1'", 2);
        try (Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select * from measurement where device_id = 'exact-1' order by \"timestamp\"");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("timestamp", OffsetDateTime.class).toInstant()).isEqualTo(T0);
            assertThat(rs.getObject("received_at", OffsetDateTime.class).toInstant()).isEqualTo(full.receivedAt());
            assertThat(rs.getDouble("power")).isEqualTo(1234.5);
            assertThat(rs.getDouble("voltage")).isEqualTo(full.voltage());
            assertThat(rs.getDouble("current")).isEqualTo(full.current());
            assertThat(rs.getDouble("energy")).isEqualTo(full.energy());
            assertThat(rs.getString("source")).isEqualTo("NOTIFY_STATUS");
            assertThat(rs.getDouble("freq")).isEqualTo(50.01);
            assertThat(rs.getDouble("pf")).isEqualTo(0.97);
            assertThat(rs.getDouble("temperature_c")).isEqualTo(41.3);
            assertThat(rs.getBoolean("output")).isTrue();
            assertThat(rs.getDouble("energy_delta_wh")).isEqualTo(1.25);
            assertThat(rs.getBoolean("counter_reset")).isFalse();
            assertThat(rs.getBoolean("over_threshold")).isTrue();
            assertThat(rs.getString("device_name")).isEqualTo("Wallbox garage");
            assertThat(rs.getString("site")).isEqualTo("home");

            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("timestamp", OffsetDateTime.class).toInstant()).isEqualTo(T0.plusNanos(1_000));
            assertThat(rs.getObject("received_at", OffsetDateTime.class).toInstant()).isEqualTo(T0.plusNanos(2_000));
            assertThat(rs.getDouble("current")).isEqualTo(0.004);
            assertThat(rs.getDouble("energy")).isEqualTo(98765.4321);
            assertThat(rs.getObject("source")).isNull();
            assertThat(rs.getObject("freq")).isNull();
            assertThat(rs.getObject("output")).isNull();
            assertThat(rs.getObject("device_name")).isNull();
            assertThat(rs.getBoolean("counter_reset")).isTrue();
            assertThat(rs.next()).isFalse();
        }
        // The microseconds are in the column itself, not an artefact of the driver's conversion.
        assertThat(queryString("select to_char(\"timestamp\" at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
                + "from measurement where device_id = 'exact-1' order by 1"))
                .containsExactly("2026-11-20 09:00:00.123456", "2026-11-20 09:00:00.123457");
    }

    @Test
    @Order(3)
    void timestampWithAnOffsetIsStoredAsTheSameInstant() throws Exception {
        Map<String, Object> json = new HashMap<>(Json.MAPPER.convertValue(reading("zone-1", T0, 10), Map.class));
        json.put("timestamp", "2026-11-20T10:00:00.123456+01:00");
        json.put("received_at", "2026-11-20T04:00:00.654321-05:00");
        send(Topics.READINGS.name(), "zone-1", Json.MAPPER.writeValueAsBytes(json));

        awaitRows("select count(*) from measurement where device_id = 'zone-1'", 1);
        // Read in a session far from UTC: the stored value is an instant, whatever the session's zone.
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("set time zone 'Asia/Kathmandu'");
            try (ResultSet rs = s.executeQuery("select \"timestamp\" = timestamptz '2026-11-20 09:00:00.123456+00', "
                    + "received_at = timestamptz '2026-11-20 09:00:00.654321+00', \"timestamp\"::text "
                    + "from measurement where device_id = 'zone-1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getBoolean(2)).isTrue();
                assertThat(rs.getString(3)).isEqualTo("2026-11-20 14:45:00.123456+05:45");
            }
        }
    }

    @Test
    @Order(4)
    void theSameReadingTwiceGivesOneRowAndALaterVersionReplacesIt() throws Exception {
        byte[] first = Json.MAPPER.writeValueAsBytes(reading("dup-1", T0, 100));
        send(Topics.READINGS.name(), "dup-1", first);
        send(Topics.READINGS.name(), "dup-1", first);
        awaitRows("select count(*) from measurement where device_id = 'dup-1'", 1);
        // Redelivered later, in another batch: still one row.
        send(Topics.READINGS.name(), "dup-1", first);
        send(Topics.READINGS.name(), "dup-1", Json.MAPPER.writeValueAsBytes(reading("dup-1", T0, 150)));
        send(Topics.READINGS.name(), "dup-marker", Json.MAPPER.writeValueAsBytes(reading("dup-marker", T0, 1)));
        awaitRows("select count(*) from measurement where device_id = 'dup-marker'", 1);
        awaitRows("select count(*) from measurement where device_id = 'dup-1' and power = 150", 1);
        assertThat(queryLong("select count(*) from measurement where device_id = 'dup-1'")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void anAlertIsRaisedThenClearedInOneRow() throws Exception {
        Instant start = T0.plusSeconds(60);
        Alert raised = new Alert("alert-1", Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.RAISED, 3000.0, 3500.5, 3500.5,
                start, null, null);
        Alert offline = new Alert("alert-1", Alert.Kind.DEVICE_OFFLINE, Alert.State.RAISED, null, null, null,
                start, null, null);
        send(Topics.ALERTS.name(), "alert-1", Json.MAPPER.writeValueAsBytes(raised));
        send(Topics.ALERTS.name(), "alert-1", Json.MAPPER.writeValueAsBytes(offline));
        awaitRows("select count(*) from alert where device_id = 'alert-1'", 2);
        assertThat(queryString("select state || ' ' || coalesce(ended_at::text, '-') from alert "
                + "where device_id = 'alert-1' and kind = 'POWER_OVER_THRESHOLD'")).containsExactly("RAISED -");

        Instant end = start.plusSeconds(90).plusNanos(250_000);
        Alert cleared = new Alert("alert-1", Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.CLEARED, 3000.0, 2800.0, 4100.25,
                start, end, 90.00025);
        send(Topics.ALERTS.name(), "alert-1", Json.MAPPER.writeValueAsBytes(cleared));
        awaitRows("select count(*) from alert where device_id = 'alert-1' and state = 'CLEARED'", 1);
        try (Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select * from alert where device_id = 'alert-1' and kind = 'POWER_OVER_THRESHOLD'");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject("started_at", OffsetDateTime.class).toInstant()).isEqualTo(start);
            assertThat(rs.getObject("ended_at", OffsetDateTime.class).toInstant()).isEqualTo(end);
            assertThat(rs.getDouble("threshold_w")).isEqualTo(3000.0);
            assertThat(rs.getDouble("power_w")).isEqualTo(2800.0);
            assertThat(rs.getDouble("peak_w")).isEqualTo(4100.25);
            assertThat(rs.getDouble("duration_s")).isEqualTo(90.00025);
            assertThat(rs.next()).isFalse();
        }
        assertThat(queryLong("select count(*) from alert where device_id = 'alert-1'")).isEqualTo(2);
        assertThat(queryString("select coalesce(power_w::text, 'null') from alert where kind = 'DEVICE_OFFLINE' and device_id = 'alert-1'"))
                .containsExactly("null");
    }

    @Test
    @Order(5)
    void anAcknowledgementFillsItsAlertsRowWhetherItArrivesAfterOrBeforeTheAlert() throws Exception {
        Instant start = T0.plusSeconds(120);
        Alert raised = new Alert("ack-1", Alert.Kind.DEVICE_ERROR, Alert.State.RAISED, null, null, null, start, null, null,
                "overtemp");
        send(Topics.ALERTS.name(), "ack-1", Json.MAPPER.writeValueAsBytes(raised));
        awaitRows("select count(*) from alert where device_id = 'ack-1'", 1);
        AlertAck ack = new AlertAck("ack-1", Alert.Kind.DEVICE_ERROR, start, "overtemp", "ops", start.plusSeconds(30), "on it");
        send(Topics.ALERT_ACKS.name(), ack.alert().id(), Json.MAPPER.writeValueAsBytes(ack));
        awaitRows("select count(*) from alert where device_id = 'ack-1' and acked_by = 'ops'", 1);
        // The alert's CLEARED rewrites the alert's columns and leaves the acknowledgement.
        send(Topics.ALERTS.name(), "ack-1", Json.MAPPER.writeValueAsBytes(new Alert("ack-1", Alert.Kind.DEVICE_ERROR,
                Alert.State.CLEARED, null, null, null, start, start.plusSeconds(60), 60.0, "overtemp")));
        awaitRows("select count(*) from alert where device_id = 'ack-1' and state = 'CLEARED'", 1);
        assertThat(queryString("select state || ' ' || acked_by || ' ' || ack_note from alert where device_id = 'ack-1'"
                + " and acked_at = '" + start.plusSeconds(30) + "'::timestamptz")).containsExactly("CLEARED ops on it");

        // First the acknowledgement, then its alert: one row, complete once both have arrived.
        AlertAck early = new AlertAck("ack-2", Alert.Kind.POWER_OVER_THRESHOLD, start, null, "admin", start.plusSeconds(5), null);
        send(Topics.ALERT_ACKS.name(), early.alert().id(), Json.MAPPER.writeValueAsBytes(early));
        awaitRows("select count(*) from alert where device_id = 'ack-2' and state is null and acked_by = 'admin'", 1);
        send(Topics.ALERTS.name(), "ack-2", Json.MAPPER.writeValueAsBytes(new Alert("ack-2", Alert.Kind.POWER_OVER_THRESHOLD,
                Alert.State.RAISED, 3000.0, 3100.0, 3100.0, start, null, null)));
        awaitRows("select count(*) from alert where device_id = 'ack-2' and state = 'RAISED' and acked_by = 'admin'"
                + " and ack_note is null", 1);
        assertThat(queryLong("select count(*) from alert where device_id = 'ack-2'")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void windowAggregatesLandInTheirTables() throws Exception {
        Instant m = Instant.parse("2026-11-20T09:01:00Z");
        WindowStats minute = new WindowStats("win-1", m, m.plusSeconds(60), 30, 10.5, 3600.25, 1200.125, 230.5, 5.25, 20.0625,
                0.5, 20.5, false);
        Instant h = Instant.parse("2026-11-20T09:00:00Z");
        WindowStats hour = new WindowStats("win-1", h, h.plusSeconds(3600), 1800, 0, 3700, 1500.5, 231, 6.5, 1500.5,
                0, 1100.25, true);
        send(Topics.READINGS_1M.name(), "win-1", Json.MAPPER.writeValueAsBytes(minute));
        send(Topics.READINGS_1H.name(), "win-1", Json.MAPPER.writeValueAsBytes(hour));
        Instant d = Instant.parse("2026-11-20T00:00:00Z");
        WindowStats day = new WindowStats("win-1", d, d.plusSeconds(86_400), 43_200, 0, 3700, 900.5, 230, 3.9, 21_612.25,
                12.5, 21_600.75, false);
        send(Topics.READINGS_1D.name(), "win-1", Json.MAPPER.writeValueAsBytes(day));
        // The same final window again (replay): still one row.
        send(Topics.READINGS_1M.name(), "win-1", Json.MAPPER.writeValueAsBytes(minute));

        awaitRows("select count(*) from measurement_1m where device_id = 'win-1'", 1);
        awaitRows("select count(*) from measurement_1h where device_id = 'win-1'", 1);
        awaitRows("select count(*) from measurement_1d where device_id = 'win-1'", 1);
        assertThat(queryString("select window_end::text || ' ' || count || ' ' || energy_wh || ' ' || energy_returned_wh || ' ' "
                + "|| energy_from_power_wh from measurement_1d where device_id = 'win-1'"))
                .containsExactly("2026-11-21 00:00:00+00 43200 21612.25 12.5 21600.75");
        assertThat(queryString("select window_start::text || ' ' || window_end::text || ' ' || count || ' ' || power_min || ' ' "
                + "|| power_max || ' ' || power_avg || ' ' || voltage_avg || ' ' || current_avg || ' ' || energy_wh "
                + "from measurement_1m where device_id = 'win-1'"))
                .containsExactly("2026-11-20 09:01:00+00 2026-11-20 09:02:00+00 30 10.5 3600.25 1200.125 230.5 5.25 20.0625");
        assertThat(queryString("select pg_typeof(count)::text || ' ' || count from measurement_1h where device_id = 'win-1'"))
                .containsExactly("bigint 1800");
        assertThat(queryLong("select count(*) from measurement_1m where device_id = 'win-1'")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void costsSessionsAndLocalDaysLandExactlyInTheirTables() throws Exception {
        Reading priced = reading("cost-1", T0, 3600).toBuilder().energyDeltaWh(1.234567)
                .cost(new BigDecimal("0.000431975003")).currency("EUR").tariffId("home-dn").tariffZone("night")
                .pricePerKwh(new BigDecimal("0.349898")).build();
        send(Topics.READINGS.name(), "cost-1", Json.MAPPER.writeValueAsBytes(priced));
        Instant start = Instant.parse("2026-10-24T22:00:00Z");
        WindowStats day = new WindowStats("cost-1", start, start.plusSeconds(25 * 3600), 61, 0, 6000, 5900, 230, 25.6,
                6100, 0, 6100, false, new BigDecimal("1.835"), "EUR", LocalDate.parse("2026-10-25"), "Europe/Berlin", "Home");
        send(Topics.READINGS_1D.name(), "cost-1", Json.MAPPER.writeValueAsBytes(day));
        ChargingSession session = new ChargingSession(ChargingSession.idOf("cost-1", T0), "cost-1", "Bay 1", "Home",
                ChargingSession.State.CLOSED, T0, T0.plusSeconds(3660), T0.plusSeconds(3600), 3660, 6100, 6000, 6000, 1,
                new BigDecimal("1.835000000000001"), "EUR", List.of(
                new ChargingSession.ZoneShare("home-dn", "night", new BigDecimal("0.25"), 3000, new BigDecimal("0.75")),
                new ChargingSession.ZoneShare("home-dn", "day", new BigDecimal("0.35"), 3100, new BigDecimal("1.085000000000001"))),
                62, false, false);
        ChargingSession open = new ChargingSession(session.sessionId(), "cost-1", "Bay 1", "Home", ChargingSession.State.UPDATED,
                T0, null, T0.plusSeconds(60), 60, 100, 6000, 6000, 0, null, null, List.of(), 2, false, false);
        send(Topics.SESSIONS.name(), "cost-1", Json.MAPPER.writeValueAsBytes(open));
        send(Topics.SESSIONS.name(), "cost-1", Json.MAPPER.writeValueAsBytes(session));

        awaitRows("select count(*) from measurement where device_id = 'cost-1'", 1);
        assertThat(queryString("select cost::text || ' ' || currency || ' ' || tariff_id || ' ' || tariff_zone || ' ' "
                + "|| price_per_kwh::text from measurement where device_id = 'cost-1'"))
                .singleElement().asString().matches("0\\.0004319750030*+ EUR home-dn night 0\\.3498980*");
        awaitRows("select count(*) from measurement_1d where device_id = 'cost-1'", 1);
        assertThat(queryString("select day::text || ' ' || time_zone || ' ' || site || ' ' || (cost = 1.835) || ' ' "
                + "|| currency || ' ' || (extract(epoch from window_end - window_start) / 3600)::int from measurement_1d where device_id = 'cost-1'"))
                .containsExactly("2026-10-25 Europe/Berlin Home true EUR 25");
        awaitRows("select count(*) from charging_session where device_id = 'cost-1' and state = 'CLOSED'", 1);
        assertThat(queryString("select (cost = 1.835000000000001) || ' ' || pauses || ' ' || energy_wh || ' ' "
                + "|| jsonb_array_length(zones) || ' ' || (zones -> 1 ->> 'cost') || ' ' || ended_at::text "
                + "from charging_session where device_id = 'cost-1'"))
                .containsExactly("true 1 6100 2 1.085000000000001 2026-11-20 10:01:00.123456+00");
    }

    @Test
    @Order(7)
    void poisonRecordsGoToTheDeadLetterTopicAndLaterRecordsStillLand() throws Exception {
        byte[] notJson = "{\"device_id\": \"poison-1\", \"power\": ".getBytes(StandardCharsets.UTF_8);
        byte[] missingField = "{\"device_id\":\"poison-1\",\"power\":1.0}".getBytes(StandardCharsets.UTF_8);
        long firstOffset = send(Topics.READINGS.name(), "poison-1", notJson);
        send(Topics.READINGS.name(), "poison-1", missingField);
        send(Topics.READINGS.name(), "poison-after", Json.MAPPER.writeValueAsBytes(reading("poison-after", T0, 5)));

        awaitRows("select count(*) from measurement where device_id = 'poison-after'", 1);
        List<ConsumerRecord<String, byte[]>> dead = deadLetters(r -> "poison-1".equals(r.key()), 2);
        assertThat(dead).extracting(ConsumerRecord::value).containsExactly(notJson, missingField);
        ConsumerRecord<String, byte[]> first = dead.get(0);
        assertThat(header(first, "__connect.errors.topic")).isEqualTo(Topics.READINGS.name());
        assertThat(header(first, "__connect.errors.offset")).isEqualTo(Long.toString(firstOffset));
        assertThat(header(first, "__connect.errors.connector.name")).isEqualTo("wattstream-sink-measurement");
        assertThat(header(first, "__connect.errors.exception.class.name")).isEqualTo("org.apache.kafka.connect.errors.DataException");
        assertThat(header(first, "__connect.errors.exception.message")).contains("not valid JSON");
        assertThat(header(dead.get(1), "__connect.errors.exception.message")).contains("lacks required field 'voltage'");
        assertThat(connect.status("wattstream-sink-measurement")).get().matches(EmbeddedConnect.ConnectorStatus::running, "running");
        assertThat(queryLong("select count(*) from measurement where device_id = 'poison-1'")).isZero();
    }

    @Test
    @Order(8)
    void applyConnectorsScriptIsIdempotentAndReportsAFailedTask() throws Exception {
        Path script = SINK.resolve("apply-connectors.sh");
        Result ok = run(script, SINK.resolve("src/main/resources/connectors"));
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("wattstream-sink-measurement: RUNNING");
        for (String name : ConnectorFiles.NAMES) {
            assertThat(connect.status(name)).get().matches(EmbeddedConnect.ConnectorStatus::running, "running");
        }

        Path dir = Files.createTempDirectory("connectors-bad-");
        try {
            Map<String, String> bad = new HashMap<>(ConnectorFiles.load("wattstream-sink-alert"));
            bad.put("name", "wattstream-sink-broken");
            bad.put("connection.url", "jdbc:postgresql://127.0.0.1:${env:POSTGRES_PORT}/no_such_database");
            bad.put("hibernate.c3p0.acquireRetryAttempts", "1"); // fail at once, not after 30 tries
            Files.write(dir.resolve("wattstream-sink-broken.json"), Json.MAPPER.writeValueAsBytes(bad));
            Result failed = run(script, dir);
            assertThat(failed.exitCode()).as(failed.output()).isNotZero();
            assertThat(failed.output()).contains("wattstream-sink-broken").contains("FAILED").contains("no_such_database");
        } finally {
            connect.deleteConnector("wattstream-sink-broken");
            Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(9)
    void survivesAPostgresRestartMidStreamWithoutLosingARecord() throws Exception {
        int sent = 0;
        // Before, during and after an outage of several seconds: every reading must end up stored.
        for (; sent < 200; sent++) {
            sendReading("outage-1", sent);
        }
        awaitRows("select count(*) from measurement where device_id = 'outage-1'", 200);
        pg.stop();
        long outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < outageEnd) {
            sendReading("outage-1", sent++);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // paces the producer; not a wait for anything
        }
        pg.start();
        for (int i = 0; i < 200; i++) {
            sendReading("outage-1", sent++);
        }
        producer.flush();
        awaitRows("select count(*) from measurement where device_id = 'outage-1'", sent, Duration.ofSeconds(120));
        assertThat(queryLong("select count(distinct \"timestamp\") from measurement where device_id = 'outage-1'")).isEqualTo(sent);
        connect.awaitRunning("wattstream-sink-measurement", WAIT);
    }

    // ---------------------------------------------------------------------------------------------

    /** A full reading with every optional field set. */
    private static Reading reading(String device, Instant ts, double power) {
        return Reading.builder().deviceId(device).power(power).voltage(230.25).current(5.375).energy(123456.789)
                .timestamp(ts).receivedAt(ts.plusMillis(250).plusNanos(7_000)).source(RawReading.Source.NOTIFY_STATUS)
                .freq(50.01).pf(0.97).temperatureC(41.3).output(true).energyDeltaWh(1.25).overThreshold(true)
                .deviceName("Wallbox garage").site("home").build();
    }

    private void sendReading(String device, int i) throws Exception {
        Instant ts = T0.plusSeconds(3600).plusNanos(i * 1_000L);
        send(Topics.READINGS.name(), device, Json.MAPPER.writeValueAsBytes(reading(device, ts, i)));
    }

    private static long send(String topic, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS).offset();
    }

    private static void awaitRows(String countSql, long expected) {
        awaitRows(countSql, expected, WAIT);
    }

    private static void awaitRows(String countSql, long expected, Duration timeout) {
        long[] last = {-1};
        Poll.until(() -> countSql + " expected " + expected + " but was " + last[0] + "; connector: "
                + connect.status("wattstream-sink-measurement").map(Object::toString).orElse("?"), timeout, () -> {
            try {
                last[0] = queryLong(countSql);
                return last[0] == expected;
            } catch (Exception e) {
                return false; // database restarting
            }
        });
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> queryString(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(java.util.function.Predicate<ConsumerRecord<String, byte[]>> which,
                                                                    int expected) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.DLQ.name(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (which.test(r)) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path script, Path connectorDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), connectorDir.toString()).redirectErrorStream(true);
        pb.environment().put("CONNECT_URL", connect.restUrl());
        pb.environment().put("CONNECT_TIMEOUT", "60");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
