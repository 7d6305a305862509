package io.wattstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.streams.topology.TopologySettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    /** The config a process would load: the environment through the table over the given file values. */
    private static Config config(Map<String, String> file, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(StreamsSettings.TABLE.fromEnvironment(env));
        return Config.just(ConfigSources.create(merged));
    }

    @Test
    void yamlValuesApplyWhenNoEnvironmentOverridesThem() {
        StreamsSettings s = StreamsSettings.from(config(Map.of(
                "app.kafka.bootstrap", "broker:9093",
                "app.alert.threshold-w", "4200",
                "app.offline-after", "PT2M",
                "app.streams.num.standby.replicas", "1"), Map.of()));

        assertThat(s.bootstrap()).isEqualTo("broker:9093");
        assertThat(s.topology().defaultThresholdW()).isEqualTo(4200);
        assertThat(s.topology().offlineAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.topology().rawTopic()).isEqualTo("shelly.readings.raw");
        assertThat(s.applicationId()).isEqualTo("wattstream-streams");
        Properties p = s.streamsProperties(s.hostInfo(8084));
        assertThat(p.getProperty("num.standby.replicas")).isEqualTo("1");
        assertThat(p.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(p.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("localhost:8084");
        assertThat(p.getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("100");
    }

    @Test
    void prototypeEnvironmentVariablesOverrideTheYaml() {
        StreamsSettings s = StreamsSettings.from(config(Map.of("app.kafka.bootstrap", "broker:9093", "app.alert.threshold-w", "4200"),
                Map.of("KAFKA_BROKER", "kafka:9092", "KAFKA_TOPIC", "custom.raw", "ALERT_THRESHOLD", "3000",
                        "OFFLINE_AFTER", "90s", "STATE_PORT", "9999", "APPLICATION_SERVER", "streams-2:9999")));

        assertThat(s.bootstrap()).isEqualTo("kafka:9092");
        assertThat(s.topology().rawTopic()).isEqualTo("custom.raw");
        assertThat(s.topology().defaultThresholdW()).isEqualTo(3000);
        assertThat(s.topology().offlineAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.port()).isEqualTo(9999);
        assertThat(s.hostInfo(1234).host()).isEqualTo("streams-2");
        assertThat(s.hostInfo(1234).port()).isEqualTo(9999);
        // the topology reads its settings back from the same properties
        assertThat(TopologySettings.from(s.streamsProperties(s.hostInfo(1))).rawTopic()).isEqualTo("custom.raw");
    }

    @Test
    void theTopologyReadsBackExactlyTheChoicesTheSettingsMade() {
        StreamsSettings s = StreamsSettings.from(config(Map.of(), Map.of("ALERT_THRESHOLD", "2750.5",
                "ALERT_HYSTERESIS", "0.1", "OFFLINE_AFTER", "2m", "STREAMS_DEDUP_RETENTION", "90m",
                "ENERGY_MAX_POWER_W", "30000", "ENERGY_DIP_TOLERANCE_SHARE", "0.001", "TEMPERATURE_LIMIT_C", "75")));
        assertThat(s.topology().energy().defaultMaxPowerW()).isEqualTo(30000);
        assertThat(s.topology().temperatureLimitC()).isEqualTo(75);
        assertThat(TopologySettings.from(s.streamsProperties(s.hostInfo(1)))).isEqualTo(s.topology());
    }

    @Test
    void nonsenseValuesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> StreamsSettings.from(config(Map.of(), Map.of("OFFLINE_AFTER", "soon"))))
                .hasMessageContaining("offline-after");
        assertThatThrownBy(() -> StreamsSettings.from(config(Map.of(), Map.of("ALERT_HYSTERESIS", "1.5"))))
                .hasMessageContaining("hysteresis");
        assertThatThrownBy(() -> StreamsSettings.from(config(Map.of(), Map.of("OFFLINE_AFTER", "300"))))
                .as("a bare number was seconds here and milliseconds in the gateway: it needs its unit now")
                .hasMessageStartingWith("app.offline-after (OFFLINE_AFTER) needs a unit");
    }
}
