package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PostgreSQL goes away: every database-backed endpoint answers 503 quickly, then recovers by itself. */
class DatabaseOutageIT {

    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = new TestStack(Map.of());
        stack.insertReading("ev-1", Instant.parse("2026-11-20T09:00:00Z"), 1200, null, null);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDatabaseFailureMidExportBreaksTheTransferInsteadOfEndingItCleanly() throws Exception {
        stack.sql("insert into measurement (device_id, \"timestamp\", power, voltage, current, energy, received_at) "
                + "select 'bulk', t, 100, 230, 0.4, 1, t from generate_series(timestamptz '2026-01-01', "
                + "timestamptz '2026-01-01' + interval '59999 seconds', interval '1 second') t");
        HttpResponse<java.io.InputStream> res = stack.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(stack.url("/api/measurements.csv?device=bulk"))).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        try (java.io.InputStream in = res.body()) {
            assertThat(in.readNBytes(1024)).hasSize(1024);
            // The export's connection is the one in a transaction; end it as a crashing server would.
            stack.sql("select pg_terminate_backend(pid) from pg_stat_activity "
                    + "where application_name = 'wattstream-query-api' and state <> 'idle'");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.transferTo(java.io.OutputStream.nullOutputStream()))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(stack.get("/api/measurements/latest/?device=bulk&limit=1").statusCode()).isEqualTo(200);
    }

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversAfterwards() throws Exception {
        List<String> paths = List.of("/api/measurements/", "/api/measurements/latest/", "/api/measurements.csv",
                "/api/aggregates/?window=1m", "/api/alerts/", "/api/devices/", "/api/devices/ev-1");
        for (String p : paths) {
            assertThat(stack.get(p).statusCode()).as(p).isEqualTo(200);
        }
        stack.pg.stop();
        try {
            for (String p : paths) {
                long t0 = System.nanoTime();
                HttpResponse<String> res = stack.get(p);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(res.statusCode()).as(p + " -> " + res.body()).isEqualTo(503);
                assertThat(Json.MAPPER.readTree(res.body()).path("error").asText()).contains("database");
                assertThat(ms).as(p + " took " + ms + " ms").isLessThan(5_000);
            }
            assertThat(stack.get("/observe/health").statusCode()).isEqualTo(503);
            // Endpoints that need no database keep working.
            assertThat(stack.get("/openapi").statusCode()).isEqualTo(200);
            assertThat(stack.get("/api/measurements/?page=zero").statusCode()).isEqualTo(400);
        } finally {
            stack.pg.start();
        }
        Poll.until("recovery", Duration.ofSeconds(30), () -> stack.get("/api/measurements/").statusCode() == 200);
        for (String p : paths) {
            assertThat(stack.get(p).statusCode()).as(p).isEqualTo(200);
        }
        assertThat(stack.get("/observe/health").statusCode()).isEqualTo(200);
    }
}
