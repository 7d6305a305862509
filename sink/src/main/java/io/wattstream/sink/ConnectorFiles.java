package io.wattstream.sink;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sink connector configs, one JSON file per connector under {@code connectors/} on the classpath
 * (source: {@code src/main/resources/connectors}, which docker-compose mounts for
 * {@code apply-connectors.sh}). Each file is the bare config map that
 * {@code PUT /connectors/{name}/config} takes; its {@code name} equals the file name.
 */
public final class ConnectorFiles {

    public static final String DIRECTORY = "connectors";

    /** Every connector: one per sink table, and the acknowledgements' into the alert table. */
    public static final List<String> NAMES = List.of(
            "wattstream-sink-measurement",
            "wattstream-sink-alert",
            "wattstream-sink-alert-ack",
            "wattstream-sink-measurement-1m",
            "wattstream-sink-measurement-1h",
            "wattstream-sink-measurement-1d",
            "wattstream-sink-charging-session");

    /** Duplicate keys are an error: which of two values would the worker take? */
    static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The config of one connector, as written in its file (provider references unresolved). */
    public static Map<String, String> load(String name) {
        String resource = DIRECTORY + "/" + name + ".json";
        try (InputStream in = ConnectorFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no connector file " + resource + " on the classpath");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Every connector's config by name, in {@link #NAMES} order. */
    public static Map<String, Map<String, String>> loadAll() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        NAMES.forEach(n -> all.put(n, load(n)));
        return all;
    }

    /** Parses a connector file: a JSON object of string values, no key twice. */
    public static Map<String, String> parse(byte[] json) throws IOException {
        return STRICT.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
    }

    private ConnectorFiles() {
    }
}
