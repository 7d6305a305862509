package io.wattstream.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SettingsTableTest {

    static final SettingsTable TABLE = SettingsTable.of("test", List.of(SharedSettings.KAFKA_BROKER, SharedSettings.KAFKA_TOPIC),
            List.of(Setting.of("TEST_WAIT", "app.wait", "5s", "how long to wait"),
                    Setting.of("TEST_PORT", "server.port", "8080", "HTTP port"),
                    Setting.of("TEST_SERVER", "app.server", null, "host:port others reach us at"),
                    Setting.of("TEST_ON", "app.on", "true", "a switch"),
                    Setting.group("TEST_CLIENT_CONFIG", "app.client", "further client settings")));

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty("app.raw-topic");
        System.clearProperty("app.wait");
    }

    @Test
    void theEnvironmentWinsOverSystemPropertiesWhichWinOverTheFile() {
        System.setProperty("app.raw-topic", "from-property.raw");
        System.setProperty("app.wait", "4s");
        Config config = TABLE.load(Map.of("KAFKA_BROKER", "from-env:9092", "KAFKA_TOPIC", "from-env.raw"));
        SettingsReader r = TABLE.reader(config);
        assertThat(r.string("app.kafka.bootstrap")).isEqualTo("from-env:9092");
        assertThat(r.string("app.raw-topic")).isEqualTo("from-env.raw");
        assertThat(r.duration("app.wait")).as("a system property over the file").isEqualTo(Duration.ofSeconds(4));

        SettingsReader fileOnly = TABLE.reader(TABLE.load(Map.of()));
        assertThat(fileOnly.string("app.raw-topic")).as("the property over the file").isEqualTo("from-property.raw");
        System.clearProperty("app.raw-topic");
        assertThat(TABLE.reader(TABLE.load(Map.of())).string("app.raw-topic")).isEqualTo("from-file.raw");
    }

    @Test
    void onlyTheTablesNamesAreReadFromTheEnvironmentAndBlankMeansUnset() {
        Map<String, String> entries = TABLE.fromEnvironment(Map.of(
                "KAFKA_BROKER", "  kafka:9092 ", "TEST_WAIT", " ", "APP_WAIT", "9s", "SERVER_PORT", "1"));
        assertThat(entries).containsExactly(Map.entry("app.kafka.bootstrap", "kafka:9092"));
        SettingsReader r = TABLE.reader(TABLE.load(Map.of("TEST_WAIT", " ", "SERVER_PORT", "1")));
        assertThat(r.duration("app.wait")).as("file value, the blank variable is unset").isEqualTo(Duration.ofSeconds(3));
        assertThat(r.integer("server.port")).as("Helidon's own variable names are not read").isEqualTo(8080);
    }

    @Test
    void defaultsComeFromTheTable() {
        SettingsReader r = TABLE.reader(Config.empty());
        assertThat(r.string("app.kafka.bootstrap")).isEqualTo("localhost:9092");
        assertThat(r.string("app.raw-topic")).isEqualTo("shelly.readings.raw");
        assertThat(r.duration("app.wait")).isEqualTo(Duration.ofSeconds(5));
        assertThat(r.optional("app.server")).isEmpty();
        assertThat(r.bool("app.on")).isTrue();
        assertThat(r.group("app.client")).isEmpty();
    }

    @Test
    void aGroupVariableSetsEachNamedEntry() {
        Config config = TABLE.load(Map.of("TEST_CLIENT_CONFIG", "compression.type=lz4, linger.ms=5"));
        assertThat(TABLE.reader(config).group("app.client"))
                .containsExactly(Map.entry("compression.type", "lz4"), Map.entry("linger.ms", "5"));
        assertThatThrownBy(() -> TABLE.fromEnvironment(Map.of("TEST_CLIENT_CONFIG", "lz4")))
                .hasMessageContaining("TEST_CLIENT_CONFIG").hasMessageContaining("name=value");
    }

    @Test
    void aBareNumberForADurationNamesTheSettingAndTheAcceptedForms() {
        SettingsReader r = TABLE.reader(config(Map.of("app.wait", "1500")));
        assertThatThrownBy(() -> r.duration("app.wait"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("app.wait (TEST_WAIT) needs a unit")
                .hasMessageContaining("250ms")
                .hasMessageContaining("PT5M")
                .hasMessageEndingWith("got '1500'");
    }

    @Test
    void malformedValuesNameTheSetting() {
        SettingsReader r = TABLE.reader(config(Map.of("server.port", "http", "app.on", "yes")));
        assertThatThrownBy(() -> r.integer("server.port"))
                .hasMessage("server.port (TEST_PORT) must be a whole number, got 'http'");
        assertThatThrownBy(() -> r.bool("app.on")).hasMessageContaining("app.on (TEST_ON) must be true or false");
        SettingsReader flags = TABLE.reader(Map.of("server.port", "70000"), s -> "--port");
        assertThatThrownBy(() -> flags.integer("server.port", 0, 65535))
                .hasMessage("--port must be between 0 and 65535, got '70000'");
    }

    @Test
    void plainValuesReadLikeAConfigNode() {
        SettingsReader r = TABLE.reader(Map.of("app.wait", "250ms", "app.client.acks", "all", "app.clientele", "x"),
                Setting::label);
        assertThat(r.duration("app.wait")).isEqualTo(Duration.ofMillis(250));
        assertThat(r.string("app.raw-topic")).isEqualTo("shelly.readings.raw");
        assertThat(r.group("app.client")).containsExactly(Map.entry("acks", "all"));
    }

    @Test
    void aKeyOutsideTheTableCannotBeRead() {
        SettingsReader r = TABLE.reader(config(Map.of("app.secret-knob", "1")));
        assertThatThrownBy(() -> r.string("app.secret-knob"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not declared in the test settings table");
    }

    @Test
    void theReaderRemembersWhatWasAskedFor() {
        SettingsReader r = TABLE.reader(Config.empty());
        r.string("app.raw-topic");
        r.duration("app.wait");
        r.group("app.client");
        assertThat(r.asked()).containsExactly("app.raw-topic", "app.wait", "app.client");
    }

    @Test
    void aTableRefusesOneNameForTwoKeys() {
        assertThatThrownBy(() -> SettingsTable.of("twice", List.of(SharedSettings.KAFKA_BROKER,
                Setting.of("KAFKA_BROKER", "app.other", null, "x"))))
                .hasMessageContaining("KAFKA_BROKER");
    }

    static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }
}
