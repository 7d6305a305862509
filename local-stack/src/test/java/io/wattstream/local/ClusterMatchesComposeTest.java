package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.TreeMap;
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
 * the service's settings table, each broker the settings of its broker in the three-broker compose file
 * and no other, the Connect workers compose's group and settings, and the topics come from the same
 * script and so from {@code Topics.specs()}. Compose here is {@code docker-compose.yml} with
 * {@code docker-compose.cluster.yml} laid over it, the shape the cluster runs.
 */
class ClusterMatchesComposeTest {

    private static final Path ROOT = ComposeFiles.ROOT;
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

    /**
     * Broker settings whose values name where a node is (addresses, ports, its directory): compared by
     * what they mean, not as text. The host-facing EXTERNAL listener is compose's alone.
     */
    private static final Set<String> BROKER_ADDRESSES = Set.of("listeners", "advertised.listeners",
            "listener.security.protocol.map", "controller.quorum.voters", "log.dirs");

    @Test
    void everyBrokerHasTheSettingsOfItsBrokerInTheThreeBrokerComposeFile() throws IOException {
        Map<String, JsonNode> composeBrokers = new TreeMap<>();
        compose().get("services").fields().forEachRemaining(s -> {
            JsonNode id = s.getValue().path("environment").get("KAFKA_NODE_ID");
            if (id != null) {
                composeBrokers.put(id.asText(), s.getValue());
            }
        });
        List<String> clusterBrokers = cluster(Map.of(), "names").lines().filter(n -> n.startsWith("broker-")).toList();
        assertThat(composeBrokers.keySet()).as("compose's node ids against the cluster's brokers")
                .isEqualTo(new TreeSet<>(clusterBrokers.stream().map(n -> n.substring("broker-".length())).toList()));
        // Where each node is, in each world: node id by host.
        Map<String, String> composeHosts = new LinkedHashMap<>();
        composeBrokers.forEach((id, b) -> composeHosts.put(b.path("hostname").asText(), id));
        Map<String, String> clusterHosts = new LinkedHashMap<>();
        for (String b : clusterBrokers) {
            String url = cluster(Map.of(), "url", b).strip();
            clusterHosts.put(url.substring(0, url.lastIndexOf(':')), b.substring("broker-".length()));
        }
        for (String name : clusterBrokers) {
            String id = name.substring("broker-".length());
            Map<String, String> broker = properties(cluster(Map.of(), "config", name));
            Map<String, String> composed = new TreeMap<>();
            composeBrokers.get(id).get("environment").fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("KAFKA_") && !e.getKey().equals("KAFKA_HEAP_OPTS")) { // each JVM its own -Xmx
                    composed.put(e.getKey().substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                            e.getValue().asText());
                }
            });
            assertThat(new TreeSet<>(broker.keySet())).as(name + "'s settings against compose's node " + id)
                    .isEqualTo(composed.keySet());
            composed.forEach((property, value) -> {
                if (!BROKER_ADDRESSES.contains(property)) {
                    assertThat(broker.get(property)).as(name + " " + property).isEqualTo(value);
                }
            });
            assertThat(voters(broker.get("controller.quorum.voters"), clusterHosts)).as(name + " voters")
                    .isEqualTo(voters(composed.get("controller.quorum.voters"), composeHosts));
            for (String listeners : List.of("listeners", "advertised.listeners", "listener.security.protocol.map")) {
                assertThat(listenerPorts(broker.get(listeners))).as(name + " " + listeners)
                        .isEqualTo(listenerPorts(composed.get(listeners)));
            }
        }
    }

    /** A voter list with each host replaced by the node id found there: {@code 1@node1:9093,...}. */
    private static List<String> voters(String voters, Map<String, String> idByHost) {
        List<String> out = new ArrayList<>();
        for (String v : voters.split(",")) {
            Matcher m = Pattern.compile("(\\d+)@(.*):(\\d+)").matcher(v.strip());
            assertThat(m.matches()).as("voter " + v).isTrue();
            out.add(m.group(1) + "@node" + idByHost.get(m.group(2)) + ":" + m.group(3));
        }
        return out;
    }

    /** NAME or NAME:PORT of each entry of a listener list or map, the EXTERNAL (host) listener left out. */
    private static Set<String> listenerPorts(String list) {
        Set<String> out = new TreeSet<>();
        for (String entry : list.split(",")) {
            String name = entry.substring(0, entry.indexOf(':'));
            String port = entry.contains("://") ? entry.substring(entry.lastIndexOf(':')) : entry.substring(entry.indexOf(':'));
            if (!name.equals("EXTERNAL")) {
                out.add(name + port);
            }
        }
        return out;
    }

    @Test
    void connectWorkersJoinComposesGroupWithComposesSettingsAndReadCommittedRecords() throws IOException {
        Map<String, String> worker = properties(cluster(Map.of(), "config", "connect-1"));
        JsonNode env = compose().get("services").get("connect").get("environment");
        assertThat(worker).containsEntry("group.id", env.get("GROUP_ID").asText());
        // The Connect image's CONNECT_* variables are worker properties.
        env.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("CONNECT_")) {
                String property = e.getKey().substring("CONNECT_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                assertThat(worker).as("connect-1 " + property).containsEntry(property, e.getValue().asText());
            }
        });
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
        assertThat(compose().get("services").get("kafka-init").get("environment").get("TOPIC_REPLICATION").asText())
                .as("compose's kafka-init replication, as the cluster's").isEqualTo("3");
    }

    private static JsonNode compose() {
        return ComposeFiles.threeBrokers();
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
