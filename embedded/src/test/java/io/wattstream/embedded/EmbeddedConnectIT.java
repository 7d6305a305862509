package io.wattstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wattstream.embedded.harness.Poll;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
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

/** The in-process worker with the Debezium JDBC sink on the classpath, against a real PostgreSQL. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedConnectIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "it.points";

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres pg;
    private static EmbeddedConnect connect;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createTopics(java.util.List.of(new NewTopic(TOPIC, 1, (short) 1)));
        pg = EmbeddedPostgres.builder().registerShutdownHook(false).build(); // started by a test
        connect = EmbeddedConnect.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId("connect-it-" + UUID.randomUUID())
                .env("IT_PG_PORT", Integer.toString(pg.port()))
                .env("IT_PG_PASSWORD", pg.password())
                .restartFailedTasksEvery(Duration.ofSeconds(2))
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (connect != null) {
            connect.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void restartsATaskThatFailedOnceItsDatabaseIsBack() {
        connect.putConnector("it-sink", sinkConfig(), WAIT);
        awaitState("it-sink", EmbeddedConnect.ConnectorStatus::failed, "a FAILED task while PostgreSQL is down");
        assertThat(connect.status("it-sink").orElseThrow().failureTrace()).contains("Connection");

        pg.start();
        // Nobody restarts it but the worker's supervisor.
        awaitState("it-sink", EmbeddedConnect.ConnectorStatus::running, "RUNNING after the restart");
        assertThat(connect.status("it-sink").orElseThrow().tasks()).hasSize(1);
    }

    @Test
    @Order(2)
    void resolvesEnvPlaceholdersFromGivenValuesAndStoresThemUnresolved() throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(TOPIC, "k", "{\"schema\":{\"type\":\"struct\",\"fields\":["
                    + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false},"
                    + "{\"field\":\"v\",\"type\":\"string\",\"optional\":true}]},\"payload\":{\"id\":7,\"v\":\"seven\"}}")).get();
        }
        awaitState("it-sink", s -> rows() == 1, "the row written by the sink");
        assertThat(connect.connectorConfig("it-sink")).containsEntry("connection.password", "${env:IT_PG_PASSWORD}");
    }

    @Test
    @Order(3)
    void keepsItsConnectorsAcrossStopAndStart() {
        int port = connect.port();
        connect.stop();
        assertThat(connect.isRunning()).isFalse();
        connect.start();
        assertThat(connect.port()).isEqualTo(port);
        assertThat(connect.connectors()).contains("it-sink");
        assertThat(connect.awaitRunning("it-sink", WAIT).running()).isTrue();
    }

    @Test
    @Order(4)
    void rejectsAnInvalidConfigWithTheWorkersReason() {
        Map<String, String> bad = new HashMap<>(sinkConfig());
        bad.put("connector.class", "no.such.Connector");
        assertThatThrownBy(() -> connect.apply("it-bad", bad, WAIT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 400").hasMessageContaining("no.such.Connector");
        assertThat(connect.status("it-bad")).isEmpty();
    }

    private static Map<String, String> sinkConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", TOPIC);
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        c.put("connection.url", "jdbc:postgresql://127.0.0.1:${env:IT_PG_PORT}/" + pg.database());
        c.put("connection.username", pg.user());
        c.put("connection.password", "${env:IT_PG_PASSWORD}");
        c.put("hibernate.c3p0.acquireRetryAttempts", "1");
        c.put("insert.mode", "upsert");
        c.put("primary.key.mode", "record_value");
        c.put("primary.key.fields", "id");
        c.put("schema.evolution", "basic");
        c.put("collection.name.format", "it_points");
        return c;
    }

    private static long rows() {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from it_points where id = 7 and v = 'seven'")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1; // table not created yet
        }
    }

    private static void awaitState(String name, java.util.function.Predicate<EmbeddedConnect.ConnectorStatus> condition, String what) {
        AtomicReference<Optional<EmbeddedConnect.ConnectorStatus>> last = new AtomicReference<>(Optional.empty());
        Poll.until(() -> what + "; status " + last.get(), WAIT, () -> {
            last.set(connect.status(name));
            return last.get().isPresent() && condition.test(last.get().get());
        });
    }
}
