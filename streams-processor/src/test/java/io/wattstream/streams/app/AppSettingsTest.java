package io.wattstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import io.wattstream.streams.topology.TopologySettings;

class AppSettingsTest {

    private static Config app(Map<String, String> values) {
        return Config.just(ConfigSources.create(values)).get("app");
    }

    @Test
    void yamlValuesApplyWhenNoEnvironmentOverridesThem() {
        AppSettings s = AppSettings.from(app(Map.of(
                "app.kafka.bootstrap", "broker:9093",
                "app.threshold-w", "4200",
                "app.offline-after", "PT2M",
                "app.streams.num.standby.replicas", "1")), Map.of());

        assertThat(s.bootstrap()).isEqualTo("broker:9093");
        assertThat(s.topology().defaultThresholdW()).isEqualTo(4200);
        assertThat(s.topology().offlineAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.topology().rawTopic()).isEqualTo("shelly.readings.raw");
        assertThat(s.applicationId()).isEqualTo("wattstream-streams");
        Properties p = s.streamsProperties(s.hostInfo(8084));
        assertThat(p.getProperty("num.standby.replicas")).isEqualTo("1");
        assertThat(p.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("localhost:8084");
    }

    @Test
    void prototypeEnvironmentVariablesOverrideTheYaml() {
        AppSettings s = AppSettings.from(app(Map.of("app.kafka.bootstrap", "broker:9093", "app.threshold-w", "4200")),
                Map.of("KAFKA_BROKER", "kafka:9092", "KAFKA_TOPIC", "custom.raw", "ALERT_THRESHOLD", "3000",
                        "OFFLINE_AFTER", "90", "STATE_PORT", "9999", "APPLICATION_SERVER", "streams-2:9999"));

        assertThat(s.bootstrap()).isEqualTo("kafka:9092");
        assertThat(s.topology().rawTopic()).isEqualTo("custom.raw");
        assertThat(s.topology().defaultThresholdW()).isEqualTo(3000);
        assertThat(s.topology().offlineAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.statePort()).isEqualTo(9999);
        assertThat(s.hostInfo(1234).host()).isEqualTo("streams-2");
        assertThat(s.hostInfo(1234).port()).isEqualTo(9999);
        // the topology reads its settings back from the same properties
        assertThat(TopologySettings.from(s.streamsProperties(s.hostInfo(1))).rawTopic()).isEqualTo("custom.raw");
    }

    @Test
    void nonsenseValuesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> AppSettings.from(app(Map.of()), Map.of("OFFLINE_AFTER", "soon")))
                .hasMessageContaining("offline-after");
        assertThatThrownBy(() -> AppSettings.from(app(Map.of()), Map.of("ALERT_HYSTERESIS", "1.5")))
                .hasMessageContaining("hysteresis");
    }
}
