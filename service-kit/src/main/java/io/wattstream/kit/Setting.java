package io.wattstream.kit;

import java.util.Objects;

/**
 * One setting of a service: the environment name that sets it, its config key (relative to the
 * service's own config node), its default and what it does, in one line each.
 *
 * @param env          environment variable, e.g. {@code KAFKA_BROKER}
 * @param key          config key, e.g. {@code app.kafka.bootstrap}
 * @param defaultValue the value when nothing sets it, as it would be written; null means "unset"
 * @param description  one line for {@code .env-sample} and the docs
 * @param kind         a single value, or a group of further settings passed through as they are
 */
public record Setting(String env, String key, String defaultValue, String description, Kind kind) {

    /** How the environment value maps onto config entries. */
    public enum Kind {
        /** The environment value is the key's value. */
        VALUE,
        /**
         * {@code name=value,name=value}: each pair becomes {@code key.name = value}, for settings that
         * are handed on to a client library (Kafka producer or Kafka Streams settings).
         */
        GROUP
    }

    public Setting {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        if (!env.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("environment name must be upper snake case: " + env);
        }
    }

    /** A single-valued setting; {@code defaultValue} null when it has none. */
    public static Setting of(String env, String key, String defaultValue, String description) {
        return new Setting(env, key, defaultValue, description, Kind.VALUE);
    }

    /** A group of pass-through settings under {@code key} (empty by default). */
    public static Setting group(String env, String key, String description) {
        return new Setting(env, key, null, description, Kind.GROUP);
    }

    /** The same setting with another default (a service whose natural default differs). */
    public Setting withDefault(String otherDefault) {
        return new Setting(env, key, otherDefault, description, kind);
    }

    /** How errors name it: the key, and the environment name that sets it. */
    public String label() {
        return key + " (" + env + ")";
    }
}
