package io.wattstream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.wattstream.model.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Checks every connector file as written, before any worker sees it. */
class ConnectorFilesTest {

    private static final Path DIR = Path.of("src/main/resources", ConnectorFiles.DIRECTORY);

    static Stream<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.sorted().toList().stream();
        }
    }

    @Test
    void everyFileIsAKnownConnectorAndEveryConnectorHasAFile() throws IOException {
        assertThat(files().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrderElementsOf(ConnectorFiles.NAMES.stream().map(n -> n + ".json").toList());
    }

    @Test
    void aKeyGivenTwiceIsRejected() {
        byte[] doubled = "{\"name\":\"x\",\"insert.mode\":\"upsert\",\"insert.mode\":\"insert\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ConnectorFiles.parse(doubled))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field 'insert.mode'");
    }

    @ParameterizedTest
    @MethodSource("files")
    void parsesStrictlyAndItsNameIsTheFileName(Path file) throws IOException {
        Map<String, String> config = ConnectorFiles.parse(Files.readAllBytes(file));
        assertThat(config.get("name") + ".json").isEqualTo(file.getFileName().toString());
        assertThat(ConnectorFiles.load(config.get("name"))).isEqualTo(config);
    }

    @ParameterizedTest
    @MethodSource("files")
    void readsOnlyPipelineTopics(Path file) throws IOException {
        Map<String, String> config = read(file);
        Set<String> known = Topics.all().stream().map(Topics.Topic::name).collect(Collectors.toSet());
        assertThat(config).doesNotContainKey("topics.regex");
        assertThat(Arrays.asList(config.get("topics").split(","))).isNotEmpty().allSatisfy(t -> assertThat(known).contains(t.trim()));
    }

    @ParameterizedTest
    @MethodSource("files")
    void holdsNoLiteralSecret(Path file) throws IOException {
        Map<String, String> config = read(file);
        config.forEach((key, value) -> {
            String k = key.toLowerCase(Locale.ROOT);
            if (k.contains("password") || k.contains("secret") || k.contains("username") || k.contains("credentials")) {
                assertThat(value).as(key).matches("\\$\\{env:[A-Z_]+}");
            }
        });
        String url = config.get("connection.url");
        assertThat(url).startsWith("jdbc:postgresql://").contains("${env:POSTGRES_HOST}").doesNotContainIgnoringCase("password");
    }

    @ParameterizedTest
    @MethodSource("files")
    void sendsBadRecordsToTheDeadLetterTopicWithContext(Path file) throws IOException {
        Map<String, String> config = read(file);
        assertThat(config).containsEntry("errors.tolerance", "all")
                .containsEntry("errors.deadletterqueue.topic.name", Topics.DLQ.name())
                .containsEntry("errors.deadletterqueue.context.headers.enable", "true")
                .containsEntry("errors.log.include.messages", "false"); // never payloads in the log
    }

    @ParameterizedTest
    @MethodSource("files")
    void upsertsOnTheTablesPrimaryKeyIntoAMigratedTable(Path file) throws IOException {
        Map<String, String> config = read(file);
        assertThat(config).containsEntry("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector")
                .containsEntry("insert.mode", "upsert")
                .containsEntry("primary.key.mode", "record_value")
                .containsEntry("schema.evolution", "none")
                .containsEntry("use.time.zone", "UTC")
                .containsEntry("value.converter", DeclaredSchemaJsonConverter.class.getName())
                .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter");

        String table = config.get("collection.name.format");
        // The table is created by one of the migrations (the daily one by V3, the sessions' by V5).
        String sql = migration("db/migration/V1__sink_tables.sql") + migration("db/migration/V3__partitioned_history.sql")
                + migration("db/migration/V5__sessions_tariffs_costs.sql");
        assertThat(sql).contains("create table " + table + " ");

        // Every primary key field is a required field of the schema the converter declares.
        SinkSchemas.RecordType type = SinkSchemas.RecordType.parse(config.get("value.converter.schema"));
        List<String> pk = Arrays.stream(config.get("primary.key.fields").split(",")).map(String::trim).toList();
        assertThat(pk).isNotEmpty().allSatisfy(f -> {
            Field field = type.schema().field(f);
            assertThat(field).as(f).isNotNull();
            assertThat(field.schema().isOptional()).as(f).isFalse();
        });
        for (String topic : config.get("topics").split(",")) {
            assertThat(SinkSchemas.forTopic(topic.trim())).as(topic).contains(type);
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void batchesForThroughput(Path file) throws IOException {
        Map<String, String> config = read(file);
        int batch = Integer.parseInt(config.get("batch.size"));
        assertThat(batch).isGreaterThanOrEqualTo(500);
        assertThat(Integer.parseInt(config.get("consumer.override.max.poll.records"))).isGreaterThanOrEqualTo(batch);
        // A batch may hold one key twice (redelivery); the reduction buffer keeps the latest only.
        assertThat(config).containsEntry("use.reduction.buffer", "true");
    }

    /** A migration of the database schema module, as Flyway finds it on the classpath. */
    private static String migration(String resource) throws IOException {
        try (var in = ConnectorFilesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        return ConnectorFiles.parse(Files.readAllBytes(file));
    }
}
