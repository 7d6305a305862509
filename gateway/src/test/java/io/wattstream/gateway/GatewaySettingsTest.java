package io.wattstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    @Test
    void prototypeEnvironmentNamesOverrideTheYamlDefaults() {
        Map<String, String> env = Map.of(
                "KAFKA_BROKER", "kafka:29092",
                "KAFKA_TOPIC", "custom.raw",
                "GATEWAY_TOKENS", "meter-1:abc",
                "GATEWAY_PORT", "9090",
                "GATEWAY_PUBLISH_TIMEOUT", "1500",
                "UNRELATED", "x");
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(Gateway.envOverrides(env)))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();

        GatewaySettings s = GatewaySettings.from(config.get("app"));
        assertThat(s.bootstrap()).isEqualTo("kafka:29092");
        assertThat(s.topic()).isEqualTo("custom.raw");
        assertThat(s.tokens().enabled()).isTrue();
        assertThat(s.publishTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.get("server.port").asInt().get()).isEqualTo(9090);
    }

    @Test
    void defaultsMatchThePrototypeWhenNothingIsConfigured() {
        GatewaySettings s = GatewaySettings.from(Config.empty().get("app"));
        assertThat(s.bootstrap()).isEqualTo("localhost:9092");
        assertThat(s.topic()).isEqualTo("shelly.readings.raw");
        assertThat(s.tokens().enabled()).as("tokens are off by default").isFalse();
        assertThat(s.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(s.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void producerWaitsAreBoundedByThePublishTimeout() {
        GatewaySettings s = GatewaySettings.from(Config.just(ConfigSources.create(Map.of(
                "app.publish-timeout", "PT3S", "app.kafka.producer.compression.type", "lz4"))).get("app"));
        Map<String, Object> p = ReadingPublisher.producerConfig(s);
        assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("max.block.ms", 3000L).containsEntry("delivery.timeout.ms", 3000)
                .containsEntry("compression.type", "lz4");
        assertThat((Integer) p.get("request.timeout.ms") + ((Number) p.get("linger.ms")).longValue())
                .as("the producer requires delivery >= request + linger").isLessThanOrEqualTo(3000);
    }
}
