package io.wattstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose files as {@code docker compose -f A -f B} sees them: anchors, aliases and {@code <<} merge
 * keys resolved (SnakeYAML; Jackson's YAML reader leaves them unresolved), then each later file laid
 * over the earlier ones: mappings merged key by key, a scalar replaced, a sequence (ports, volumes)
 * extended by the entries it lacks, but a command, an entrypoint and a healthcheck's test replaced.
 */
final class ComposeFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Sequences compose replaces instead of merging. */
    private static final Set<String> REPLACED = Set.of("command", "entrypoint", "test");

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path ONE_BROKER = ROOT.resolve("docker-compose.yml");
    static final Path CLUSTER = ROOT.resolve("docker-compose.cluster.yml");

    /** The one-broker file. */
    static JsonNode oneBroker() {
        return read(List.of(ONE_BROKER));
    }

    /** The one-broker file with the three-broker file laid over it. */
    static JsonNode threeBrokers() {
        return read(List.of(ONE_BROKER, CLUSTER));
    }

    static JsonNode read(List<Path> files) {
        ObjectNode merged = MAPPER.createObjectNode();
        for (Path file : files) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Map<String, Object> doc = new Yaml().load(in);
                merge(merged, (ObjectNode) MAPPER.valueToTree(doc));
            } catch (IOException e) {
                throw new IllegalStateException("reading " + file, e);
            }
        }
        return merged;
    }

    private static void merge(ObjectNode into, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode old = into.get(f.getKey());
            if (old instanceof ObjectNode o && f.getValue() instanceof ObjectNode n) {
                merge(o, n);
            } else if (old instanceof ArrayNode o && f.getValue() instanceof ArrayNode n && !REPLACED.contains(f.getKey())) {
                n.forEach(e -> {
                    if (!contains(o, e)) {
                        o.add(e);
                    }
                });
            } else {
                into.set(f.getKey(), f.getValue().deepCopy());
            }
        }
    }

    private static boolean contains(ArrayNode array, JsonNode e) {
        for (JsonNode x : array) {
            if (x.equals(e)) {
                return true;
            }
        }
        return false;
    }

    private ComposeFiles() {
    }
}
