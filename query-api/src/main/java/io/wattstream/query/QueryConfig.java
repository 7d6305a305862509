package io.wattstream.query;

import io.helidon.config.Config;
import java.net.URI;
import java.time.Duration;

/**
 * The {@code app} section of the query API's configuration.
 *
 * @param jdbcUrl             PostgreSQL URL, built from {@code postgres.host/port/db} unless given whole
 * @param poolSize            maximum pooled connections
 * @param connectionTimeout   how long a request waits for a connection before it gets a 503
 * @param kafkaBootstrap      broker list for the live feed, the device registry and device updates
 * @param stateUrl            base URL of the stream processor's {@code /state} service
 * @param stateTimeout        per-request timeout towards {@code /state}
 * @param alertThresholdW     global power alert threshold, W ({@code ALERT_THRESHOLD})
 * @param alertHysteresis     a raised alert clears below threshold x (1 - hysteresis)
 * @param heartbeat           SSE comment interval, keeps proxies from closing idle streams
 * @param clientQueue         events buffered per SSE client; a client that falls further behind is dropped
 * @param replayBuffer        recent events kept for {@code Last-Event-ID} resume
 */
public record QueryConfig(
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        int poolSize,
        Duration connectionTimeout,
        String kafkaBootstrap,
        URI stateUrl,
        Duration stateTimeout,
        double alertThresholdW,
        double alertHysteresis,
        Duration heartbeat,
        int clientQueue,
        int replayBuffer) {

    public QueryConfig {
        if (!(alertThresholdW > 0) || Double.isInfinite(alertThresholdW)) {
            throw new IllegalArgumentException("alert threshold must be a positive number of W, got " + alertThresholdW);
        }
        if (!(alertHysteresis >= 0 && alertHysteresis < 1)) {
            throw new IllegalArgumentException("alert hysteresis must be in [0, 1), got " + alertHysteresis);
        }
    }

    /** Reads the {@code app} node (see {@code application.yaml} for every key and default). */
    public static QueryConfig from(Config app) {
        Config pg = app.get("postgres");
        String url = pg.get("jdbc-url").asString().orElseGet(() -> "jdbc:postgresql://"
                + pg.get("host").asString().orElse("127.0.0.1") + ":"
                + pg.get("port").asInt().orElse(5432) + "/"
                + pg.get("db").asString().orElse("wattstream"));
        return new QueryConfig(
                url,
                pg.get("user").asString().orElse("wattstream"),
                pg.get("password").asString().orElse(""),
                pg.get("pool-size").asInt().orElse(16),
                Duration.ofMillis(pg.get("connection-timeout-ms").asLong().orElse(1000L)),
                app.get("kafka.bootstrap").asString().orElse("127.0.0.1:9092"),
                URI.create(app.get("state.url").asString().orElse("http://127.0.0.1:8084")),
                Duration.ofMillis(app.get("state.timeout-ms").asLong().orElse(2000L)),
                app.get("alert.threshold-w").asDouble().orElse(3500.0),
                app.get("alert.hysteresis").asDouble().orElse(0.05),
                Duration.ofMillis(app.get("sse.heartbeat-ms").asLong().orElse(15_000L)),
                app.get("sse.client-queue").asInt().orElse(1024),
                app.get("sse.replay-buffer").asInt().orElse(10_000));
    }
}
