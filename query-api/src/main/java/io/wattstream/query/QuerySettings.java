package io.wattstream.query;

import io.helidon.config.Config;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import io.wattstream.kit.access.Access;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The query API's settings ({@link #TABLE} lists them all). The alert threshold and hysteresis are
 * not among them: the query API shows those the stream processor applies ({@code /state/rules}). It
 * does not start without an admin token ({@link Access}): every write needs one.
 *
 * @param port                HTTP port of the API and dashboard ({@code server.port}; 0 picks a free one)
 * @param jdbcUrl             PostgreSQL URL, built from {@code postgres.host/port/db} unless given whole
 * @param poolSize            maximum pooled connections
 * @param connectionTimeout   how long a request waits for a connection before it gets a 503
 * @param kafkaBootstrap      broker list for the live feed, the device registry and device updates
 * @param stateUrls           base URLs of the stream processor's {@code /state} service, one per instance or one
 *                            in front of them all; any of them answers for every device
 * @param stateTimeout        per-request timeout towards {@code /state}
 * @param heartbeat           SSE comment interval, keeps proxies from closing idle streams
 * @param clientQueue         events buffered per SSE client; a client that falls further behind is dropped
 * @param replayBuffer        recent events kept for {@code Last-Event-ID} resume
 * @param uncommittedReadings whether the live feed shows readings before the stream processor's commit
 * @param notifierUrl         base URL of the notifier's {@code /deliveries}
 * @param access              the API tokens and who may read
 */
public record QuerySettings(
        int port,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        int poolSize,
        Duration connectionTimeout,
        String kafkaBootstrap,
        List<URI> stateUrls,
        Duration stateTimeout,
        Duration heartbeat,
        int clientQueue,
        int replayBuffer,
        boolean uncommittedReadings,
        URI notifierUrl,
        Access access) {

    /** Every setting of the query API. */
    public static final SettingsTable TABLE = SettingsTable.of("query-api",
            SharedSettings.POSTGRES,
            List.of(SharedSettings.KAFKA_BROKER,
                    Setting.of("QUERY_PORT", "server.port", "8081", "HTTP port of the query API and dashboard"),
                    Setting.of("POSTGRES_JDBC_URL", "app.postgres.jdbc-url", null,
                            "whole JDBC URL, replaces POSTGRES_HOST/PORT/DB when set"),
                    Setting.of("QUERY_DB_POOL_SIZE", "app.postgres.pool-size", "16", "maximum pooled database connections"),
                    Setting.of("QUERY_DB_CONNECTION_TIMEOUT", "app.postgres.connection-timeout", "1s",
                            "how long a request waits for a database connection before it gets a 503"),
                    Setting.of("STATE_URL", "app.state.url", "http://127.0.0.1:8084",
                            "base URL of the stream processor's /state service; several, comma-separated, are tried in turn"),
                    Setting.of("STATE_TIMEOUT", "app.state.timeout", "2s", "per-request timeout towards /state"),
                    Setting.of("QUERY_SSE_HEARTBEAT", "app.sse.heartbeat", "15s",
                            "SSE comment interval; keeps proxies from closing idle streams"),
                    Setting.of("QUERY_SSE_CLIENT_QUEUE", "app.sse.client-queue", "1024",
                            "events buffered per SSE client; a client further behind is dropped"),
                    Setting.of("QUERY_SSE_REPLAY_BUFFER", "app.sse.replay-buffer", "10000",
                            "recent events kept for Last-Event-ID resume"),
                    Setting.of("QUERY_SSE_UNCOMMITTED_READINGS", "app.sse.uncommitted-readings", "true",
                            "live readings as soon as the stream processor writes them (each once), not after its commit; "
                                    + "stored data is exactly once either way"),
                    Setting.of("NOTIFIER_URL", "app.notifier.url", "http://127.0.0.1:8085",
                            "base URL of the notifier, whose /deliveries /api/notifications/ shows")),
            Access.SETTINGS);

    /** Reads the query API's config node (children {@code server} and {@code app}). */
    public static QuerySettings from(Config queryConfig) {
        return from(TABLE.reader(queryConfig));
    }

    /** Reads every setting of {@link #TABLE} through {@code r}. */
    public static QuerySettings from(SettingsReader r) {
        String built = "jdbc:postgresql://" + r.string("app.postgres.host") + ":"
                + r.integer("app.postgres.port", 1, 65535) + "/" + r.string("app.postgres.db");
        return new QuerySettings(
                r.integer("server.port", 0, 65535),
                r.optional("app.postgres.jdbc-url").orElse(built),
                r.string("app.postgres.user"),
                r.string("app.postgres.password"),
                r.integer("app.postgres.pool-size", 1, 1000),
                r.duration("app.postgres.connection-timeout"),
                r.string("app.kafka.bootstrap"),
                Arrays.stream(r.string("app.state.url").split(",")).map(String::strip).filter(u -> !u.isEmpty())
                        .map(URI::create).toList(),
                r.duration("app.state.timeout"),
                r.duration("app.sse.heartbeat"),
                r.integer("app.sse.client-queue", 1, 1_000_000),
                r.integer("app.sse.replay-buffer", 0, 10_000_000),
                r.bool("app.sse.uncommitted-readings"),
                URI.create(r.string("app.notifier.url")),
                Access.from(r));
    }
}
