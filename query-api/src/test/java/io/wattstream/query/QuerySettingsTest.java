package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.wattstream.kit.access.ApiTokens;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuerySettingsTest {

    static final String ADMIN = ApiTokens.generate();

    @Test
    void thePrototypesVariablesOverrideTheFile() {
        Map<String, String> env = Map.of("POSTGRES_HOST", "db", "POSTGRES_PORT", "6543", "POSTGRES_DB", "power",
                "POSTGRES_USER", "u", "POSTGRES_PASSWORD", "p", "KAFKA_BROKER", "kafka:9092",
                "STATE_URL", "http://streams:8084", "QUERY_PORT", "9000", "UNRELATED", "x", "AUTH_ADMIN_TOKEN", ADMIN);
        QuerySettings cfg = QuerySettings.from(QuerySettings.TABLE.load(env));
        assertThat(cfg.jdbcUrl()).isEqualTo("jdbc:postgresql://db:6543/power");
        assertThat(cfg.dbUser()).isEqualTo("u");
        assertThat(cfg.dbPassword()).isEqualTo("p");
        assertThat(cfg.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(cfg.stateUrls()).hasToString("[http://streams:8084]");
        assertThat(cfg.port()).isEqualTo(9000);
    }

    @Test
    void theFileAloneGivesThePrototypesDefaults() {
        Config config = QuerySettings.TABLE.load(Map.of("AUTH_ADMIN_TOKEN", ADMIN));
        QuerySettings cfg = QuerySettings.from(config);
        assertThat(cfg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/wattstream");
        assertThat(cfg.stateUrls()).hasToString("[http://127.0.0.1:8084]");
        assertThat(cfg.port()).isEqualTo(8081);
        assertThat(cfg.connectionTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(cfg.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(cfg.notifierUrl().toString()).isEqualTo("http://127.0.0.1:8085");
        assertThat(cfg.access().openReads()).as("reads need a token unless opened").isFalse();
        assertThat(cfg.access().sessionTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(config.get("server.max-payload-size").asInt().get()).as("Helidon's own values from the file").isEqualTo(65536);
    }

    @Test
    void severalStateUrlsAreReadInTheirOrder() {
        QuerySettings cfg = QuerySettings.from(QuerySettings.TABLE.load(
                Map.of("STATE_URL", "http://s1:8084, http://s2:8084,http://s3:8084", "AUTH_ADMIN_TOKEN", ADMIN)));
        assertThat(cfg.stateUrls()).hasToString("[http://s1:8084, http://s2:8084, http://s3:8084]");
    }

    @Test
    void aWholeJdbcUrlReplacesHostPortAndDatabase() {
        QuerySettings cfg = QuerySettings.from(QuerySettings.TABLE.load(Map.of(
                "POSTGRES_JDBC_URL", "jdbc:postgresql://a:1,b:2/x?targetServerType=primary", "POSTGRES_HOST", "ignored", "AUTH_ADMIN_TOKEN", ADMIN)));
        assertThat(cfg.jdbcUrl()).isEqualTo("jdbc:postgresql://a:1,b:2/x?targetServerType=primary");
    }

    @Test
    void aTimeoutWithoutItsUnitIsRefusedByName() {
        assertThatThrownBy(() -> QuerySettings.from(QuerySettings.TABLE.load(Map.of("STATE_TIMEOUT", "2000"))))
                .hasMessageStartingWith("app.state.timeout (STATE_TIMEOUT) needs a unit");
    }

    @Test
    void refusesToStartWithoutAnAdminTokenAndNeverQuotesAToken() {
        assertThatThrownBy(() -> QuerySettings.from(QuerySettings.TABLE.load(Map.of())))
                .hasMessage("app.auth.admin-token (AUTH_ADMIN_TOKEN) must be set (or AUTH_TOKENS must hold an admin entry): "
                        + "every write needs an admin token");
        String viewerOnly = "wall:viewer:" + ApiTokens.sha256Hex(ADMIN);
        assertThatThrownBy(() -> QuerySettings.from(QuerySettings.TABLE.load(Map.of("AUTH_TOKENS", viewerOnly))))
                .hasMessageContaining("every write needs an admin token");
        assertThatThrownBy(() -> QuerySettings.from(QuerySettings.TABLE.load(Map.of("AUTH_ADMIN_TOKEN", "too-short-a-token"))))
                .hasMessageContaining("at least 32 characters").message().doesNotContain("too-short-a-token");
    }

    @Test
    void anAdminEntryAmongTheHashedTokensIsEnough() {
        QuerySettings cfg = QuerySettings.from(QuerySettings.TABLE.load(Map.of("AUTH_TOKENS",
                "ops:admin:" + ApiTokens.sha256Hex(ADMIN), "AUTH_OPEN_READS", "true")));
        assertThat(cfg.access().tokens().authenticate(ADMIN)).map(p -> p.name()).contains("ops");
        assertThat(cfg.access().openReads()).isTrue();
    }
}
