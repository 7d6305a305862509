package io.wattstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                "GATEWAY_PUBLISH_TIMEOUT", "1500ms",
                "UNRELATED", "x");
        Config config = GatewaySettings.TABLE.load(env);

        GatewaySettings s = GatewaySettings.from(config);
        assertThat(s.bootstrap()).isEqualTo("kafka:29092");
        assertThat(s.topic()).isEqualTo("custom.raw");
        assertThat(s.tokens().enabled()).isTrue();
        assertThat(s.publishTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.port()).isEqualTo(9090);
        assertThat(config.get("server.host").asString().get()).as("Helidon's own values from the file").isEqualTo("0.0.0.0");
    }

    @Test
    void defaultsMatchThePrototypeWhenNothingIsConfigured() {
        GatewaySettings s = GatewaySettings.from(Config.empty());
        assertThat(s.bootstrap()).isEqualTo("localhost:9092");
        assertThat(s.topic()).isEqualTo("shelly.readings.raw");
        assertThat(s.tokens().enabled()).as("tokens are off by default").isFalse();
        assertThat(s.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(s.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.port()).isEqualTo(8080);
    }

    @Test
    void aPublishTimeoutWithoutAUnitIsRefusedByName() {
        assertThatThrownBy(() -> GatewaySettings.from(GatewaySettings.TABLE.load(Map.of("GATEWAY_PUBLISH_TIMEOUT", "1500"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("app.publish-timeout (GATEWAY_PUBLISH_TIMEOUT) needs a unit");
    }

    @Test
    void producerWaitsAreBoundedByThePublishTimeout() {
        GatewaySettings s = GatewaySettings.from(Config.just(ConfigSources.create(Map.of(
                "app.publish-timeout", "PT3S", "app.kafka.producer.compression.type", "lz4"))));
        Map<String, Object> p = ReadingPublisher.producerConfig(s);
        assertThat(p).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("max.block.ms", 3000L).containsEntry("delivery.timeout.ms", 3000)
                .containsEntry("compression.type", "lz4");
        assertThat((Integer) p.get("request.timeout.ms") + ((Number) p.get("linger.ms")).longValue())
                .as("the producer requires delivery >= request + linger").isLessThanOrEqualTo(3000);
    }

    @Test
    void producerSettingsPassThroughFromTheirOneVariable() {
        GatewaySettings s = GatewaySettings.from(GatewaySettings.TABLE.load(Map.of(
                "GATEWAY_PRODUCER_CONFIG", "compression.type=lz4,batch.size=32768", "GATEWAY_KAFKA_LINGER", "5ms")));
        assertThat(ReadingPublisher.producerConfig(s)).containsEntry("compression.type", "lz4")
                .containsEntry("batch.size", "32768").containsEntry("linger.ms", 5L);
    }
}
