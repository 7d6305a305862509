package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsMatchTheDocumentedPorts() {
        Options o = Options.parse(new String[0], Map.of());
        assertThat(o.ports()).extracting(Options.PortSetting::port).containsExactly(5433, 9092, 8083, 8084, 8085, 8080, 8081, 8000);
        assertThat(o.postgresUser()).isEqualTo("wattstream");
        assertThat(o.thresholdW()).isEqualTo(3500);
        assertThat(o.offlineAfter()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(o.dataDir().getFileName().toString()).isEqualTo("data");
        assertThat(o.ephemeral()).isFalse();
        assertThat(o.adminToken()).as("generated on the first start").isEmpty();
        assertThat(o.openReads()).isTrue();
    }

    @Test
    void neverShowsTheAdminTokenOrTheDatabasePassword() {
        Options o = Options.parse(new String[0], Map.of("AUTH_ADMIN_TOKEN", "secret-token-0123456789abcdef-xyz",
                "POSTGRES_PASSWORD", "pg-secret", "GATEWAY_TOKENS", "bay-1:device-secret"));
        assertThat(o.adminToken()).isEqualTo("secret-token-0123456789abcdef-xyz");
        assertThat(o.deviceTokens()).isEqualTo("bay-1:device-secret");
        assertThat(o.toString()).doesNotContain("secret-token", "pg-secret", "device-secret");
    }

    @Test
    void flagsWinOverThePrototypeEnvironmentNames() {
        Options o = Options.parse(new String[] {"--postgres-port", "6000", "--simulate=3", "--ephemeral", "--offline-after", "90s"},
                Map.of("POSTGRES_PORT", "7000", "POSTGRES_USER", "meter", "ALERT_THRESHOLD", "4200", "OFFLINE_AFTER", "2m"));
        assertThat(o.postgresPort()).isEqualTo(6000);
        assertThat(o.postgresUser()).isEqualTo("meter");
        assertThat(o.thresholdW()).isEqualTo(4200);
        assertThat(o.simulate()).isEqualTo(3);
        assertThat(o.offlineAfter()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(o.ephemeral()).isTrue();
    }

    @Test
    void passesTheStreamCommitIntervalFromFlagOrEnvironment() {
        assertThat(Options.parse(new String[0], Map.of()).commitInterval())
                .isEqualTo(java.time.Duration.ofMillis(io.wattstream.streams.app.StreamsProperties.DEFAULT_COMMIT_INTERVAL_MS));
        assertThat(Options.parse(new String[0], Map.of("STREAMS_COMMIT_INTERVAL", "20ms")).commitInterval())
                .isEqualTo(java.time.Duration.ofMillis(20));
        assertThat(Options.parse(new String[] {"--commit-interval", "50ms"}, Map.of("STREAMS_COMMIT_INTERVAL", "20ms"))
                .commitInterval()).isEqualTo(java.time.Duration.ofMillis(50));
        assertThatThrownBy(() -> Options.parse(new String[] {"--commit-interval", "0s"}, Map.of()))
                .hasMessageContaining("--commit-interval").hasMessageContaining("positive");
    }

    @Test
    void showsLiveReadingsBeforeTheCommitUnlessTurnedOff() {
        assertThat(Options.parse(new String[0], Map.of()).uncommittedReadings()).isTrue();
        assertThat(Options.parse(new String[0], Map.of("QUERY_SSE_UNCOMMITTED_READINGS", "false")).uncommittedReadings()).isFalse();
    }

    @Test
    void rejectsUnknownOptionsAndBadNumbersWithOneLine() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--gatway-port", "1"}, Map.of()))
                .hasMessage("unknown option --gatway-port (see --help)");
        assertThatThrownBy(() -> Options.parse(new String[] {"--gateway-port", "http"}, Map.of()))
                .hasMessageContaining("--gateway-port must be a whole number");
        assertThatThrownBy(() -> Options.parse(new String[] {"--kafka-port", "70000"}, Map.of()))
                .hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> Options.parse(new String[0], Map.of("ALERT_THRESHOLD", "-5")))
                .hasMessageContaining("ALERT_THRESHOLD");
        assertThatThrownBy(() -> Options.parse(new String[] {"--offline-after", "30"}, Map.of()))
                .hasMessageContaining("--offline-after").hasMessageContaining("unit");
    }

    @Test
    void helpListsEveryFlagWithItsVariableAndDefaultOnce() {
        assertThat(Options.USAGE).contains("--ephemeral", "--help")
                .contains("--gateway-port P", "(default 8080, env GATEWAY_PORT)")
                .contains("--postgres-port P", "(default 5433, env POSTGRES_PORT)")
                .contains("--threshold-w W", "(default 3500, env ALERT_THRESHOLD)");
        for (var s : Options.TABLE.settings()) {
            String named = "env " + s.env() + ")";
            int first = Options.USAGE.indexOf(named);
            assertThat(first).as(s.env()).isNotNegative();
            assertThat(Options.USAGE.indexOf(named, first + 1)).as(s.env() + " listed once").isNegative();
        }
    }
}
