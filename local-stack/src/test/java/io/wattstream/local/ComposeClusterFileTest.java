package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The three-broker variant, {@code docker compose -f docker-compose.yml -f docker-compose.cluster.yml},
 * merged as compose merges it: every check of {@link ComposeFileTest}, and the brokers are one KRaft
 * cluster of three (one cluster id, each node a voter of the same quorum), every Kafka client lists all
 * three, and the topics and Connect's own topics get three replicas with two in sync.
 */
class ComposeClusterFileTest extends ComposeFileTest {

    /** The variables that hold a Kafka client's bootstrap servers, by the reader's own name. */
    private static final Set<String> BOOTSTRAP_VARIABLES = Set.of("KAFKA_BROKER", "BOOTSTRAP", "BOOTSTRAP_SERVERS",
            "KAFKA_REST_BOOTSTRAP_SERVERS");
    private static final Pattern LISTENER = Pattern.compile("(\\w+)://([^:,]*):(\\d+)");

    @Override
    List<Path> files() {
        return List.of(ComposeFiles.ONE_BROKER, ComposeFiles.CLUSTER);
    }

    /** The broker services (those that set KAFKA_NODE_ID), by service name. */
    private Map<String, JsonNode> brokers() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        compose.get("services").fields().forEachRemaining(s -> {
            if (s.getValue().path("environment").has("KAFKA_NODE_ID")) {
                out.put(s.getKey(), s.getValue());
            }
        });
        return out;
    }

    private static String env(JsonNode service, String name) {
        return service.path("environment").path(name).asText(null);
    }

    @Test
    void threeBrokersOfOneClusterEachAVoterOfTheSameQuorum() {
        Map<String, JsonNode> brokers = brokers();
        assertThat(brokers).as("broker services").hasSize(3);
        Set<String> clusterIds = new TreeSet<>();
        Set<String> quorums = new TreeSet<>();
        Set<String> nodes = new TreeSet<>();
        brokers.forEach((name, broker) -> {
            clusterIds.add(String.valueOf(env(broker, "CLUSTER_ID")));
            quorums.add(String.valueOf(env(broker, "KAFKA_CONTROLLER_QUORUM_VOTERS")));
            assertThat(env(broker, "KAFKA_PROCESS_ROLES")).as(name).isEqualTo("broker,controller");
            // Each node as a voter names itself: id@its host name:its CONTROLLER port.
            nodes.add(env(broker, "KAFKA_NODE_ID") + "@" + broker.path("hostname").asText(name) + ":"
                    + listenerPort(env(broker, "KAFKA_LISTENERS"), "CONTROLLER"));
        });
        assertThat(clusterIds).as("every broker's CLUSTER_ID").hasSize(1).doesNotContainNull().doesNotContain("null");
        assertThat(quorums).as("every broker's KAFKA_CONTROLLER_QUORUM_VOTERS").hasSize(1);
        assertThat(new TreeSet<>(Arrays.asList(quorums.iterator().next().split(","))))
                .as("the voters are the three nodes").isEqualTo(nodes);
        assertThat(nodes).as("node ids").hasSize(3);
    }

    @Test
    void everyKafkaClientListsEveryBroker() {
        Set<String> brokers = new TreeSet<>();
        brokers().forEach((name, broker) -> brokers.add(listener(env(broker, "KAFKA_ADVERTISED_LISTENERS"), "INTERNAL")));
        assertThat(brokers).hasSize(3);
        // A client is a service with a bootstrap variable in either file: the three-broker file must
        // override each (a client it forgets keeps the one broker of docker-compose.yml).
        Set<String> clients = new TreeSet<>();
        for (JsonNode file : List.of(ComposeFiles.oneBroker(), compose)) {
            file.get("services").fields().forEachRemaining(s -> s.getValue().path("environment").fieldNames()
                    .forEachRemaining(v -> {
                        if (BOOTSTRAP_VARIABLES.contains(v)) {
                            clients.add(s.getKey());
                        }
                    }));
        }
        assertThat(clients).contains("gateway", "streams-processor", "query-api", "notifier", "replay", "connect",
                "rest-proxy", "kafka-init");
        List<String> wrong = new ArrayList<>();
        for (String client : clients) {
            JsonNode env = compose.get("services").get(client).path("environment");
            BOOTSTRAP_VARIABLES.stream().filter(env::has).forEach(v -> {
                Set<String> listed = new TreeSet<>();
                for (String entry : env.get(v).asText().split(",")) {
                    listed.add(entry.strip().replaceFirst("^\\w+://", ""));
                }
                if (!listed.equals(brokers)) {
                    wrong.add(client + " " + v + "=" + env.get(v).asText());
                }
            });
        }
        assertThat(wrong).as("bootstrap lists other than " + brokers).isEmpty();
    }

    @Test
    void whatWaitsForTheBrokerWaitsForAllThree() {
        Set<String> brokers = brokers().keySet();
        List<String> partial = new ArrayList<>();
        compose.get("services").fields().forEachRemaining(s -> {
            JsonNode deps = s.getValue().path("depends_on");
            boolean any = brokers.stream().anyMatch(deps::has);
            boolean all = brokers.stream().allMatch(deps::has);
            if (any && !all) {
                partial.add(s.getKey());
            }
        });
        assertThat(partial).as("services that wait for some brokers only").isEmpty();
    }

    @Test
    void topicsGetThreeReplicasWithTwoInSync() {
        JsonNode services = compose.get("services");
        assertThat(env(services.get("kafka-init"), "TOPIC_REPLICATION")).isEqualTo("3");
        brokers().forEach((name, broker) -> {
            assertThat(env(broker, "KAFKA_DEFAULT_REPLICATION_FACTOR")).as(name).isEqualTo("3");
            assertThat(env(broker, "KAFKA_MIN_INSYNC_REPLICAS")).as(name).isEqualTo("2");
            assertThat(env(broker, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).as(name).isEqualTo("3");
            assertThat(env(broker, "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).as(name).isEqualTo("3");
            assertThat(env(broker, "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).as(name).isEqualTo("2");
        });
        for (String topic : List.of("CONFIG", "OFFSET", "STATUS")) {
            assertThat(env(services.get("connect"), "CONNECT_" + topic + "_STORAGE_REPLICATION_FACTOR")).as(topic).isEqualTo("3");
        }
    }

    /** HOST:PORT of the named listener in a listener list ({@code INTERNAL://kafka:9092,...}). */
    private static String listener(String listeners, String name) {
        Matcher m = LISTENER.matcher(String.valueOf(listeners));
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2) + ":" + m.group(3);
            }
        }
        throw new AssertionError("no " + name + " listener in " + listeners);
    }

    private static String listenerPort(String listeners, String name) {
        String hostPort = listener(listeners, name);
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }
}
