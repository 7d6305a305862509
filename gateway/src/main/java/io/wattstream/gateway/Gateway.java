package io.wattstream.gateway;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds and starts the gateway's web server; usable in-process by tests and the local stack. */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** The prototype's environment names and the gateway's own, mapped onto config keys. */
    static final Map<String, String> ENV_OVERRIDES = Map.of(
            "KAFKA_BROKER", "app.kafka.bootstrap",
            "KAFKA_TOPIC", "app.topic",
            "GATEWAY_TOKENS", "app.tokens",
            "GATEWAY_PORT", "server.port",
            "GATEWAY_PUBLISH_TIMEOUT", "app.publish-timeout");

    private Gateway() {
    }

    /**
     * The gateway's config as a standalone process sees it: the environment names above, then
     * system properties and Helidon's own environment mapping, then {@code application.yaml}.
     */
    public static Config defaultConfig() {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(envOverrides(System.getenv())))
                .addSource(ConfigSources.systemProperties())
                .addSource(ConfigSources.environmentVariables())
                .addSource(ConfigSources.classpath("application.yaml").optional())
                .build();
    }

    static Map<String, String> envOverrides(Map<String, String> env) {
        Map<String, String> out = new HashMap<>();
        ENV_OVERRIDES.forEach((name, key) -> {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                out.put(key, value);
            }
        });
        return out;
    }

    /**
     * Starts the gateway from its own config node (children {@code server} and {@code app}).
     * Stopping the returned server also closes its Kafka clients.
     */
    public static WebServer start(Config gatewayConfig) {
        GatewaySettings settings = GatewaySettings.from(gatewayConfig.get("app"));
        GatewayMetrics metrics = new GatewayMetrics(Services.get(MeterRegistry.class));
        ReadingPublisher publisher = new ReadingPublisher(settings);
        KafkaHealthCheck kafkaHealth = new KafkaHealthCheck(settings.bootstrap(), publisher.topicName());
        ErrorMapping errors = new ErrorMapping(metrics, settings);
        WebhookService webhook = new WebhookService(settings, publisher, metrics, MonotonicClock.SYSTEM,
                List.of(publisher, kafkaHealth));
        WebServer server;
        try {
            server = WebServer.builder()
                    // A connection without traffic (a client that connects and says nothing, or an idle
                    // keep-alive) is closed after 20 s rather than Helidon's 5 minutes, checked every 2 s;
                    // server.idle-connection-timeout / -period in the config override both.
                    .idleConnectionTimeout(Duration.ofSeconds(20))
                    .idleConnectionPeriod(Duration.ofSeconds(2))
                    .config(gatewayConfig.get("server"))
                    .maxPayloadSize(settings.maxBodyBytes())
                    .directHandlers(errors.directHandlers())
                    .addFeature(ObserveFeature.just(
                            HealthObserver.builder().details(true).addCheck(kafkaHealth).build(),
                            MetricsObserver.create()))
                    .routing(r -> routing(r, webhook, errors))
                    .build()
                    .start();
        } catch (RuntimeException e) {
            webhook.afterStop();
            throw e;
        }
        LOG.info("gateway listening on port {}, publishing to {} at {}{}", server.port(), publisher.topicName(),
                settings.bootstrap(), settings.tokens().enabled()
                        ? " (device tokens required for " + settings.tokens().size() + " device(s))" : "");
        return server;
    }

    /** The gateway's routes and error mapping, for tests that build their own server. */
    public static void routing(HttpRouting.Builder routing, WebhookService webhook, ErrorMapping errors) {
        errors.register(routing);
        routing.register(webhook);
    }
}
