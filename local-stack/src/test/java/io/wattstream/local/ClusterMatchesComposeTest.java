package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wattstream.gateway.GatewaySettings;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsTable;
import io.wattstream.query.QuerySettings;
import io.wattstream.streams.app.StreamsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production shape on one machine ({@code deploy/cluster/cluster.sh}) runs what compose runs: each
 * service instance gets every variable compose gives that service (a variable compose forwards from
 * {@code .env} is forwarded too, a fixed value is the same unless it is an address), only variables of
 * the service's settings table, each broker every setting compose gives its broker, the Connect workers
 * compose's group, and the topics come from the same script and so from {@code Topics.specs()}.
 */
class ClusterMatchesComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("deploy/cluster/cluster.sh");
    private static final Pattern FORWARDED = Pattern.compile("^\\$\\{(\\w+)(?::?[-?][^}]*)?}$");

    /** Compose service, the cluster instance standing for it, its settings table. */
    private record Service(String compose, String instance, SettingsTable table) {
    }

    private static final List<Service> SERVICES = List.of(
            new Service("gateway", "gateway-2", GatewaySettings.TABLE),
            new Service("streams-processor", "streams-2", StreamsSettings.TABLE),
            new Service("query-api", "query-2", QuerySettings.TABLE));

    /**
     * Values that name where another part is, or where this one is reached: on one machine they are
     * addresses of the cluster's own, and a list where compose has one instance.
     */
    private static final Set<String> ADDRESSES = Set.of("KAFKA_BROKER", "POSTGRES_HOST", "STATE_URL", "NOTIFIER_URL", "STREAMS_STATE_DIR",
            "APPLICATION_SERVER");

    @TempDir
    Path dir;

    @Test
    void everyServiceInstanceGetsWhatComposeGivesThatService() throws IOException {
        JsonNode services = compose().get("services");
        for (Service s : SERVICES) {
            Map<String, String> composeEnv = new LinkedHashMap<>();
            services.get(s.compose()).get("environment").fields()
                    .forEachRemaining(e -> composeEnv.put(e.getKey(), e.getValue().asText()));
            // Every variable compose forwards from .env set to a marker: the cluster must pass it on.
            Map<String, String> marked = new LinkedHashMap<>();
            composeEnv.forEach((name, value) -> {
                Matcher m = FORWARDED.matcher(value);
                if (m.matches()) {
                    marked.put(m.group(1), "marker-" + m.group(1).toLowerCase(Locale.ROOT));
                }
            });
            Map<String, String> cluster = properties(cluster(marked, "config", s.instance()));
            for (Map.Entry<String, String> e : composeEnv.entrySet()) {
                String name = e.getKey();
                assertThat(cluster).as(s.instance() + " lacks " + name + " that compose gives " + s.compose()).containsKey(name);
                Matcher m = FORWARDED.matcher(e.getValue());
                if (m.matches() && !ADDRESSES.contains(name)) {
                    String marker = marked.get(m.group(1));
                    assertThat(cluster.get(name)).as(s.instance() + " " + name).isIn(marker, "(set)");
                } else if (!ADDRESSES.contains(name)) {
                    assertThat(cluster.get(name)).as(s.instance() + " " + name).isEqualTo(e.getValue());
                }
            }
            Set<String> read = new TreeSet<>(s.table().settings().stream().map(Setting::env).toList());
            assertThat(read).as("the variables " + s.instance() + " gets are read by " + s.compose())
                    .containsAll(cluster.keySet());
        }
    }

    @Test
    void everyBrokerHasTheSettingsComposeGivesItsBrokerWithThreeReplicas() throws IOException {
        Map<String, String> broker = properties(cluster(Map.of(), "config", "broker-2"));
        List<String> missing = new ArrayList<>();
        compose().get("services").get("kafka").get("environment").fieldNames().forEachRemaining(name -> {
            if (name.equals("KAFKA_HEAP_OPTS")) {
                return; // the cluster gives each JVM its own -Xmx
            }
            String property = name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (!broker.containsKey(property)) {
                missing.add(name + " (" + property + ")");
            }
        });
        assertThat(missing).as("compose's broker settings a cluster broker lacks").isEmpty();
        assertThat(broker).containsEntry("default.replication.factor", "3").containsEntry("min.insync.replicas", "2")
                .containsEntry("transaction.state.log.min.isr", "2").containsEntry("auto.create.topics.enable", "false")
                .containsEntry("controller.quorum.voters",
                        "1@127.0.77.11:9093,2@127.0.77.12:9093,3@127.0.77.13:9093");
    }

    @Test
    void connectWorkersJoinComposesGroupAndReadCommittedRecords() throws IOException {
        Map<String, String> worker = properties(cluster(Map.of(), "config", "connect-1"));
        assertThat(worker).containsEntry("group.id",
                compose().get("services").get("connect").get("environment").get("GROUP_ID").asText());
        assertThat(worker).containsEntry("consumer.isolation.level", "read_committed")
                .containsEntry("config.storage.replication.factor", "3");
    }

    @Test
    void theTopicsComeFromTheScriptComposeRunsWithTheSameVariables() throws IOException {
        String script = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        Matcher call = Pattern.compile("^(.*)bash \"\\$root/deploy/create-topics\\.sh\"", Pattern.MULTILINE).matcher(script);
        assertThat(call.find()).as("cluster.sh runs deploy/create-topics.sh (kafka-init's script)").isTrue();
        String invocation = script.substring(script.lastIndexOf("\n", script.lastIndexOf("KAFKA_BIN=", call.start())) + 1,
                call.end());
        compose().get("services").get("kafka-init").get("environment").fieldNames()
                .forEachRemaining(name -> assertThat(invocation).as("create-topics call passes " + name).contains(name + "="));
        assertThat(invocation).contains("TOPIC_REPLICATION=\"$replication\"");
        assertThat(script).containsPattern("(?m)^replication=3$").containsPattern("(?m)^min_isr=2$");
    }

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    /** Runs cluster.sh with only the given variables (and its own state in a fresh directory). */
    private String cluster(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
        pb.environment().putAll(env);
        pb.environment().put("CLUSTER_DIR", dir.toString());
        pb.environment().put("CLUSTER_NETWORK", "loopback");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("cluster.sh finished").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static Map<String, String> properties(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }
}
