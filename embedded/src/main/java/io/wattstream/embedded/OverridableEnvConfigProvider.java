package io.wattstream.embedded;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Resolves {@code ${env:NAME}} in connector configs like Kafka's {@code EnvVarConfigProvider}, except
 * that values given to the worker ({@code config.providers.env.param.NAME=value}) come first.
 *
 * <p>An in-process worker cannot set environment variables for itself, yet the connector files must
 * stay identical for the embedded worker and a containerised one; this provider lets the embedded
 * worker feed e.g. its throw-away PostgreSQL's port and password under the same names.
 */
public final class OverridableEnvConfigProvider implements ConfigProvider {

    private final Map<String, String> given = new HashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        configs.forEach((k, v) -> {
            if (v != null) {
                given.put(k, v.toString());
            }
        });
    }

    @Override
    public ConfigData get(String path) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.putAll(given);
        return new ConfigData(all);
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> found = new HashMap<>();
        for (String key : keys) {
            String value = given.containsKey(key) ? given.get(key) : System.getenv(key);
            if (value != null) {
                found.put(key, value);
            }
        }
        return new ConfigData(found);
    }

    @Override
    public void close() {
        given.clear();
    }
}
