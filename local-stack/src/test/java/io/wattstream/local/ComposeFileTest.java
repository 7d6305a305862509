package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.gateway.GatewaySettings;
import io.wattstream.kit.SettingsTable;
import io.wattstream.notifier.NotifierSettings;
import io.wattstream.query.QuerySettings;
import io.wattstream.schema.MigrateMain;
import io.wattstream.sink.ConnectorFiles;
import io.wattstream.streams.app.StreamsSettings;
import io.wattstream.streams.replay.ReplayMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Checks the docker-compose deployment without a Docker engine: the file validates, every variable it
 * sets on a service is one that service reads (is in its settings table), every connector file it mounts is one the tests apply,
 * and every service has a healthcheck. {@link ComposeClusterFileTest} runs the same checks on the
 * three-broker variant.
 */
class ComposeFileTest {

    private static final Path ROOT = ComposeFiles.ROOT;

    /** The settings table of each Wattstream service: the variables it reads. */
    private static final Map<String, SettingsTable> TABLES = Map.of(
            "gateway", GatewaySettings.TABLE,
            "streams-processor", StreamsSettings.TABLE,
            "query-api", QuerySettings.TABLE,
            "replay", ReplayMain.TABLE,
            "connect-init", MigrateMain.TABLE,
            "history-maintenance", MigrateMain.TABLE,
            "notifier", NotifierSettings.TABLE);

    /** Where each other variable must be read: the sources of the part that reads it. */
    private static final Map<String, List<String>> READERS = Map.of(
            "kafka-init", List.of("deploy/create-topics.sh"),
            "connect", List.of("sink/src/main/resources/connectors"),
            "connect-init", List.of("sink/apply-connectors.sh", "sink/connect-init.sh"),
            "connect-supervisor", List.of("sink/apply-connectors.sh"),
            "grafana", List.of("deploy/grafana/provisioning"));

    /** Third-party images read their settings by prefix (the image's documented convention). */
    private static final Map<String, List<String>> IMAGE_PREFIXES = Map.of(
            // CLUSTER_ID: the image formats the node's storage with it (KRaft).
            "kafka", List.of("KAFKA_", "CLUSTER_ID"),
            "kafka-2", List.of("KAFKA_", "CLUSTER_ID"),
            "kafka-3", List.of("KAFKA_", "CLUSTER_ID"),
            "postgres", List.of("POSTGRES_"),
            "rest-proxy", List.of("KAFKA_REST_"),
            "grafana", List.of("GF_"),
            // The Debezium Connect image: its own names, and CONNECT_* for any worker property.
            "connect", List.of("CONNECT_", "BOOTSTRAP_SERVERS", "GROUP_ID", "ADVERTISED_HOST_NAME", "HEAP_OPTS",
                    "CONFIG_STORAGE_TOPIC", "OFFSET_STORAGE_TOPIC", "STATUS_STORAGE_TOPIC"));

    final JsonNode compose = ComposeFiles.read(files());

    /** The files, in the order given to {@code docker compose -f}. */
    List<Path> files() {
        return List.of(ComposeFiles.ONE_BROKER);
    }

    @Test
    void everyServiceHasAHealthcheck() {
        List<String> missing = new ArrayList<>();
        compose.get("services").fields().forEachRemaining(e -> {
            if (!e.getValue().has("healthcheck")) {
                missing.add(e.getKey());
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void everyVariableASetsIsOneTheServiceReads() throws IOException {
        List<String> unread = new ArrayList<>();
        var services = compose.get("services").fields();
        while (services.hasNext()) {
            var service = services.next();
            JsonNode env = service.getValue().get("environment");
            if (env == null) {
                continue;
            }
            String readers = sourcesOf(READERS.getOrDefault(service.getKey(), List.of()));
            List<String> prefixes = IMAGE_PREFIXES.getOrDefault(service.getKey(), List.of());
            SettingsTable table = TABLES.get(service.getKey());
            env.fieldNames().forEachRemaining(name -> {
                boolean byImage = prefixes.stream().anyMatch(name::startsWith);
                boolean bySource = readers.contains(name);
                boolean byTable = table != null && table.settings().stream().anyMatch(s -> s.env().equals(name));
                if (!byImage && !bySource && !byTable) {
                    unread.add(service.getKey() + ": " + name);
                }
            });
        }
        assertThat(unread).as("variables set in docker-compose.yml that nothing reads").isEmpty();
    }

    @Test
    void mountedConnectorFilesAreTheOnesTheTestsApply() throws IOException {
        List<String> mounted = new ArrayList<>();
        for (JsonNode volume : compose.get("services").get("connect-init").get("volumes")) {
            String hostPath = volume.asText().split(":")[0];
            try (Stream<Path> files = Files.list(ROOT.resolve(hostPath))) {
                files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".json"))
                        .map(f -> f.substring(0, f.length() - ".json".length())).forEach(mounted::add);
            }
        }
        assertThat(mounted).isNotEmpty();
        assertThat(new TreeSet<>(mounted)).isEqualTo(new TreeSet<>(ConnectorFiles.NAMES));
    }

    /** The services that devices and people reach; everything else is infrastructure. */
    private static final List<String> PUBLIC = List.of("gateway", "query-api", "origin");

    @Test
    void noInfrastructurePortIsPublishedOnAllInterfacesByDefault() {
        List<String> published = new ArrayList<>();
        compose.path("services").fields().forEachRemaining(service -> service.getValue().path("ports").forEach(port -> {
            // ${NAME:-default} as compose resolves it when .env does not set NAME.
            String mapping = port.asText().replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
            String[] parts = mapping.split(":");
            String host = parts.length == 3 ? parts[0] : "0.0.0.0";
            published.add(service.getKey() + " " + host);
        }));
        assertThat(published).isNotEmpty();
        for (String entry : published) {
            String[] serviceAndHost = entry.split(" ");
            if (!PUBLIC.contains(serviceAndHost[0])) {
                assertThat(serviceAndHost[1]).as(entry).isEqualTo("127.0.0.1");
            }
        }
        assertThat(published).as("devices and people reach these").contains("gateway 0.0.0.0", "query-api 0.0.0.0");
    }

    @Test
    void theQueryApiDoesNotStartWithoutAnAdminTokenFromDotEnv() {
        String token = compose.path("services").path("query-api").path("environment").path("AUTH_ADMIN_TOKEN").asText();
        assertThat(token).startsWith("${AUTH_ADMIN_TOKEN:?");
    }

    @Test
    void theRestProxysConsumersReadCommittedRecordsOnly() {
        JsonNode env = compose.path("services").path("rest-proxy").path("environment");
        assertThat(env.path("KAFKA_REST_CONSUMER_ISOLATION_LEVEL").asText()).isEqualTo("read_committed");
    }

    @Test
    void composeFileValidates() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean installed = Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker-compose")));
        assumeTrue(installed || ci, "docker-compose is not installed; .ci/run installs it");
        List<String> cmd = new ArrayList<>(List.of("docker-compose"));
        files().forEach(f -> cmd.addAll(List.of("-f", f.toString())));
        cmd.addAll(List.of("config", "-q"));
        ProcessBuilder p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .directory(ROOT.toFile());
        p.environment().put("POSTGRES_PASSWORD", "only-for-validation");
        p.environment().put("AUTH_ADMIN_TOKEN", "only-for-validation-0123456789abcdef");
        String output;
        Process running = p.start();
        try (var in = running.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(running.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(running.exitValue()).as(output).isZero();
    }

    private static String sourcesOf(List<String> paths) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String rel : paths) {
            Path path = ROOT.resolve(rel);
            if (Files.isRegularFile(path)) {
                all.append(Files.readString(path));
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                        all.append(Files.readString(f));
                    }
                }
            }
        }
        return all.toString();
    }
}
