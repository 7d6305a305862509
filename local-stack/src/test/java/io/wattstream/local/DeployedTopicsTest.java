package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wattstream.model.TopicSpec;
import io.wattstream.model.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The deployment creates the topics {@link Topics#specs()} specifies: the compose file runs
 * {@code deploy/create-topics.sh}, and that script, its partition default and the compose and
 * {@code .env-sample} defaults say what the specification says.
 */
class DeployedTopicsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String SCRIPT = "deploy/create-topics.sh";
    /** {@code create <name> [--config key=value]...}: one line per topic. */
    private static final Pattern CREATE = Pattern.compile("^create\\s+(\\S+)(.*)$", Pattern.MULTILINE);
    private static final Pattern CONFIG = Pattern.compile("--config\\s+(\\S+?)=(\\S+)");
    private static final Pattern PARTITIONS = Pattern.compile("--partitions\\s+(\\d+)");
    /** {@code ${NAME:-default}}, with or without quotes. */
    private static final Pattern DEFAULTED = Pattern.compile("^\"?\\$\\{(\\w+):-([^}]*)}\"?$");

    @Test
    void theScriptCreatesExactlyTheSpecifiedTopicsWithTheirSettings() throws IOException {
        Map<String, String> created = new LinkedHashMap<>();
        Matcher m = CREATE.matcher(Files.readString(ROOT.resolve(SCRIPT)));
        while (m.find()) {
            Map<String, String> configs = new LinkedHashMap<>();
            Matcher c = CONFIG.matcher(m.group(2));
            while (c.find()) {
                configs.put(c.group(1), c.group(2));
            }
            Matcher p = PARTITIONS.matcher(m.group(2));
            created.put(defaultOf(m.group(1)), (p.find() ? p.group(1) : "default") + " " + configs);
        }
        Map<String, String> specified = new LinkedHashMap<>();
        for (TopicSpec t : Topics.specs()) {
            specified.put(t.name(), (t.partitions().isPresent() ? t.partitions().getAsInt() : "default") + " " + t.configs());
        }
        assertThat(created).as(SCRIPT).containsExactlyInAnyOrderEntriesOf(specified);
    }

    @Test
    void theRawTopicIsRenamedByTheSameVariableAsEverywhere() throws IOException {
        Matcher m = CREATE.matcher(Files.readString(ROOT.resolve(SCRIPT)));
        List<String> renamable = new ArrayList<>();
        while (m.find()) {
            Matcher d = DEFAULTED.matcher(m.group(1));
            if (d.matches()) {
                renamable.add(d.group(1) + "=" + d.group(2));
            }
        }
        assertThat(renamable).containsExactly(Topics.RAW_TOPIC_ENV + "=" + Topics.RAW.name());
        assertThat(kafkaInit().get("environment").get(Topics.RAW_TOPIC_ENV).asText())
                .isEqualTo("${" + Topics.RAW_TOPIC_ENV + ":-" + Topics.RAW.name() + "}");
    }

    @Test
    void theScriptComposeAndEnvSampleDefaultToTheSpecifiedPartitions() throws IOException {
        String expected = Integer.toString(Topics.DEFAULT_PARTITIONS);
        Matcher script = Pattern.compile("^partitions=(\\S+)$", Pattern.MULTILINE).matcher(Files.readString(ROOT.resolve(SCRIPT)));
        assertThat(script.find()).as("partitions= in " + SCRIPT).isTrue();
        assertThat(script.group(1)).isEqualTo("${TOPIC_PARTITIONS:-" + expected + "}");
        assertThat(kafkaInit().get("environment").get("TOPIC_PARTITIONS").asText())
                .isEqualTo("${TOPIC_PARTITIONS:-" + expected + "}");
        assertThat(Files.readAllLines(ROOT.resolve(".env-sample"))).contains("TOPIC_PARTITIONS=" + expected);
    }

    @Test
    void composeCreatesTheTopicsWithThatScript() {
        JsonNode init = kafkaInit();
        List<String> mounts = StreamSupport.stream(init.get("volumes").spliterator(), false).map(JsonNode::asText).toList();
        assertThat(mounts).anySatisfy(v -> assertThat(v).startsWith("./" + SCRIPT + ":/create-topics.sh"));
        assertThat(init.get("entrypoint").toString()).contains("/create-topics.sh");
    }

    private static String defaultOf(String word) {
        Matcher d = DEFAULTED.matcher(word);
        return d.matches() ? d.group(2) : word;
    }

    private static JsonNode kafkaInit() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile())
                    .get("services").get("kafka-init");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
