package io.wattstream.gateway;

import io.helidon.config.Config;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * The gateway's {@code app} settings. Every value has a default, so the gateway also starts from a
 * config node that only names the broker (as the one-JVM local stack does).
 *
 * @param bootstrap         Kafka bootstrap servers ({@code app.kafka.bootstrap}, env {@code KAFKA_BROKER})
 * @param topic             raw topic name ({@code app.topic}, env {@code KAFKA_TOPIC})
 * @param tokens            device tokens ({@code app.tokens}, env {@code GATEWAY_TOKENS})
 * @param publishTimeout    longest wait for Kafka's acknowledgement before answering 503
 * @param retryAfterSeconds the {@code Retry-After} sent with a 503
 * @param maxBodyBytes      largest accepted request body; larger gets 413
 * @param lingerMs          producer {@code linger.ms}
 * @param producerOverrides any further producer setting ({@code app.kafka.producer.*}), applied last
 * @param bodyReadTimeout   longest time a request body may take to arrive; a slower client gets 408
 */
public record GatewaySettings(
        String bootstrap,
        String topic,
        DeviceTokens tokens,
        Duration publishTimeout,
        int retryAfterSeconds,
        int maxBodyBytes,
        int lingerMs,
        Map<String, String> producerOverrides,
        Duration bodyReadTimeout) {

    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    /** Reads the {@code app} node of the gateway's config. */
    public static GatewaySettings from(Config app) {
        return new GatewaySettings(
                app.get("kafka.bootstrap").asString().orElse("localhost:9092"),
                app.get("topic").asString().filter(s -> !s.isBlank()).orElse(Topics.RAW.name()),
                DeviceTokens.parse(app.get("tokens").asString().orElse("")),
                duration(app.get("publish-timeout").asString().orElse("PT5S")),
                app.get("retry-after-seconds").asInt().orElse(5),
                app.get("max-body-bytes").asInt().orElse(DEFAULT_MAX_BODY_BYTES),
                app.get("kafka.linger-ms").asInt().orElse(2),
                app.get("kafka.producer").detach().asMap().orElse(Map.of()),
                duration(app.get("body-read-timeout").asString().orElse("PT10S")));
    }

    /** ISO-8601 ({@code PT5S}) or a plain number of milliseconds. */
    static Duration duration(String text) {
        String t = text.trim();
        return t.chars().allMatch(Character::isDigit) && !t.isEmpty()
                ? Duration.ofMillis(Long.parseLong(t))
                : Duration.parse(t);
    }
}
