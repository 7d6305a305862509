package io.wattstream.notifier;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import java.util.Map;

/** Runs the notifier as its own process. */
public final class Main {

    /** Environment names mapped onto config keys. */
    static final Map<String, String> ENV = Map.of(
            "KAFKA_BROKER", "app.kafka.bootstrap",
            "NOTIFIER_PORT", "server.port",
            "NOTIFIER_GROUP_ID", "app.group-id",
            "NOTIFIER_START_FROM", "app.start-from",
            "NOTIFIER_RETRY_INITIAL_BACKOFF", "app.retry.initial-backoff",
            "NOTIFIER_RETRY_MAX_BACKOFF", "app.retry.max-backoff",
            "NOTIFIER_RETRY_MAX_ATTEMPTS", "app.retry.max-attempts",
            "NOTIFIER_GIVE_UP_AFTER", "app.retry.give-up-after",
            "NOTIFIER_SEND_TIMEOUT", "app.send-timeout",
            "TOPIC_PARTITIONS", "app.topic-partitions");

    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        Map<String, String> env = new HashMap<>();
        ENV.forEach((name, key) -> {
            String v = System.getenv(name);
            if (v != null && !v.isBlank()) {
                env.put(key, v);
            }
        });
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(env))
                .addSource(ConfigSources.systemProperties())
                .addSource(ConfigSources.classpath("application.yaml").optional())
                .build();
        Config.global(config);
        NotifierApp app = NotifierApp.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "notifier-shutdown"));
    }
}
