package io.wattstream.query;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables of the prototype's {@code .env} (and a few of our own) mapped onto
 * configuration keys, so a deployment configured for the prototype keeps working.
 */
final class EnvOverrides {

    static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry("POSTGRES_HOST", "app.postgres.host"),
            Map.entry("POSTGRES_PORT", "app.postgres.port"),
            Map.entry("POSTGRES_DB", "app.postgres.db"),
            Map.entry("POSTGRES_USER", "app.postgres.user"),
            Map.entry("POSTGRES_PASSWORD", "app.postgres.password"),
            Map.entry("KAFKA_BROKER", "app.kafka.bootstrap"),
            Map.entry("ALERT_THRESHOLD", "app.alert.threshold-w"),
            Map.entry("ALERT_HYSTERESIS", "app.alert.hysteresis"),
            Map.entry("STATE_URL", "app.state.url"),
            Map.entry("QUERY_PORT", "server.port"));

    /** The configuration entries set by the given environment. */
    static Map<String, String> from(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        KEYS.forEach((var, key) -> {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                out.put(key, v.trim());
            }
        });
        return out;
    }

    private EnvOverrides() {
    }
}
