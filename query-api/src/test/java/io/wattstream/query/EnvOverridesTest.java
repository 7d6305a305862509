package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

    @Test
    void thePrototypesVariablesOverrideTheFile() {
        Map<String, String> env = Map.of("POSTGRES_HOST", "db", "POSTGRES_PORT", "6543", "POSTGRES_DB", "power",
                "POSTGRES_USER", "u", "POSTGRES_PASSWORD", "p", "KAFKA_BROKER", "kafka:9092", "ALERT_THRESHOLD", "7400",
                "STATE_URL", "http://streams:8084", "QUERY_PORT", "9000", "UNRELATED", "x");
        Config config = Config.builder(ConfigSources.create(EnvOverrides.from(env)), ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build();
        QueryConfig cfg = QueryConfig.from(config.get("app"));
        assertThat(cfg.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6543/power");
        assertThat(cfg.dbUser()).isEqualTo("u");
        assertThat(cfg.dbPassword()).isEqualTo("p");
        assertThat(cfg.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(cfg.alertThresholdW()).isEqualTo(7400);
        assertThat(cfg.stateUrl().toString()).isEqualTo("http://streams:8084");
        assertThat(config.get("server.port").asInt().get()).isEqualTo(9000);
    }

    @Test
    void theFileAloneGivesThePrototypesDefaults() {
        Config config = Config.builder(ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build();
        QueryConfig cfg = QueryConfig.from(config.get("app"));
        assertThat(cfg.alertThresholdW()).isEqualTo(3500);
        assertThat(cfg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/wattstream");
        assertThat(cfg.stateUrl().toString()).isEqualTo("http://127.0.0.1:8084");
        assertThat(config.get("server.port").asInt().get()).isEqualTo(8081);
    }
}
