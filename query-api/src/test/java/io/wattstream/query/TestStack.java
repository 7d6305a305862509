package io.wattstream.query;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.kit.access.ApiTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * One real stack per test class: PostgreSQL with the sink tables, a broker with the topics, the API.
 * It has an admin and a viewer token; reads are left open (the access tests close them), writes
 * through {@link #put} and {@link #authorized} carry the admin token.
 */
final class TestStack implements AutoCloseable {

    static final String ADMIN_TOKEN = ApiTokens.generate();
    static final String VIEWER_TOKEN = ApiTokens.generate();

    private final Infrastructure infra;
    final EmbeddedPostgres pg;
    final EmbeddedKafka kafka;
    final QueryApp api;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestStack(Map<String, String> extra) {
        infra = Infrastructure.builder().partitions(2).start();
        pg = infra.postgres();
        kafka = infra.kafka();
        Map<String, String> c = new HashMap<>();
        c.put("server.port", "0");
        c.put("server.host", "127.0.0.1");
        c.put("app.postgres.jdbc-url", pg.jdbcUrl());
        c.put("app.postgres.user", pg.user());
        c.put("app.postgres.password", pg.password());
        c.put("app.kafka.bootstrap", kafka.bootstrapServers());
        // Nothing listens there: the stream processor is "down" unless a test says otherwise.
        c.put("app.state.url", "http://127.0.0.1:" + Ports.free());
        c.put("app.state.timeout", "500ms");
        // Nothing listens there either: the notifier is "down" unless a test says otherwise.
        c.put("app.notifier.url", "http://127.0.0.1:" + Ports.free());
        c.put("app.auth.admin-token", ADMIN_TOKEN);
        c.put("app.auth.tokens", "wall:viewer:" + ApiTokens.sha256Hex(VIEWER_TOKEN));
        c.put("app.auth.open-reads", "true");
        c.putAll(extra);
        api = QueryApp.start(Config.builder(ConfigSources.create(c))
                .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build());
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + api.port() + pathAndQuery;
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(20)).GET().build());
    }

    HttpResponse<String> put(String path, String json) {
        return send(authorized(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A request to {@code path} with the admin token. */
    HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    HttpResponse<String> delete(String path) {
        return send(authorized(path).DELETE().build());
    }

    HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void sql(String sql) {
        try (Connection c = pg.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts one reading as the sink would. */
    void insertReading(String device, Instant ts, double power, String name, String site) {
        String sql = "insert into measurement (device_id, \"timestamp\", power, voltage, current, energy, received_at, source, "
                + "freq, pf, temperature_c, output, energy_delta_wh, counter_reset, over_threshold, device_name, site) "
                + "values (?, ?, ?, 230.5, ?, 1000.25, ?, 'FLAT_POST', 50.0, 0.98, 41.5, true, 0.5, false, ?, ?, ?)";
        try (Connection c = pg.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, device);
            ps.setObject(2, ts.atOffset(ZoneOffset.UTC));
            ps.setDouble(3, power);
            ps.setDouble(4, power / 230.5);
            ps.setObject(5, ts.plusMillis(3).atOffset(ZoneOffset.UTC));
            ps.setBoolean(6, power > 3500);
            ps.setString(7, name);
            ps.setString(8, site);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        api.close();
        infra.close();
    }
}
