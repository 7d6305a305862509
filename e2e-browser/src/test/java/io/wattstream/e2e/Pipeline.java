package io.wattstream.e2e;

import io.wattstream.local.LocalStack;
import io.wattstream.local.Options;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The real pipeline in this JVM, as the one-JVM local stack runs it: embedded KRaft broker and
 * PostgreSQL, the Connect worker with the sink connectors, the stream processor, the gateway and
 * the query API serving the dashboard; throw-away data, free ports.
 */
final class Pipeline implements AutoCloseable {

    /**
     * Short enough that a silent device goes stale (after half of it) within a test, long enough that
     * each other test's devices are live while it looks at them.
     */
    static final Duration OFFLINE_AFTER = Duration.ofSeconds(40);

    private final LocalStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Pipeline(LocalStack stack) {
        this.stack = stack;
    }

    static Pipeline start() {
        Options options = Options.parse(new String[] {"--ephemeral", "--gateway-port", "0", "--query-port", "0", "--origin-port", "0",
                "--connect-port", "0", "--state-port", "0", "--notifier-port", "0", "--kafka-port", "0", "--postgres-port", "0",
                "--offline-after", OFFLINE_AFTER.toSeconds() + "s"}, Map.of());
        return new Pipeline(LocalStack.start(options, new PrintStream(System.out, true, StandardCharsets.UTF_8)));
    }

    String dashboardUrl() {
        return "http://127.0.0.1:" + stack.query().port() + "/";
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + stack.gatewayPort() + "/webhook/";
    }

    /** POSTs a reading to the gateway as a device would; fails unless it is accepted. */
    void postReading(String deviceId, double power, double voltage, double current, double energy) {
        postReading(deviceId, power, voltage, current, energy, null);
    }

    /** As above, with the device's own time (null: the gateway's receive time). */
    void postReading(String deviceId, double power, double voltage, double current, double energy, Instant deviceTime) {
        String body = String.format(Locale.ROOT,
                "{\"device_id\":\"%s\",\"power\":%.1f,\"voltage\":%.1f,\"current\":%.2f,\"energy\":%.1f%s}",
                deviceId, power, voltage, current, energy,
                deviceTime == null ? "" : ",\"timestamp\":\"" + deviceTime + "\"");
        postJson(body);
    }

    /** POSTs a flat JSON reading (any of the gateway's fields) to the gateway; fails unless it is accepted. */
    void postJson(String body) {
        send(HttpRequest.newBuilder(URI.create(gatewayUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), "POST reading");
    }

    /** The admin token the local stack generated. */
    String adminToken() {
        return stack.adminToken();
    }

    /** Sets a device's registry entry through the query API. */
    void putDevice(String deviceId, String jsonBody) {
        putAsAdmin("api/devices/" + deviceId, jsonBody, "PUT device");
    }

    /** Sets a tariff through the query API. */
    void putTariff(String id, String jsonBody) {
        putAsAdmin("api/tariffs/" + id, jsonBody, "PUT tariff");
    }

    /** Every write of the query API needs the admin token. */
    private void putAsAdmin(String path, String jsonBody, String what) {
        send(HttpRequest.newBuilder(URI.create(dashboardUrl() + path))
                .header("Authorization", "Bearer " + stack.adminToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody)), what);
    }

    /** A GET of a dashboard path with extra headers (name, value, ...), answered whatever its status. */
    HttpResponse<String> fetch(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dashboardUrl() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("GET " + path + " interrupted", e);
        }
    }

    private String send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() / 100 != 2) {
                throw new AssertionError(what + " answered " + res.statusCode() + ": " + res.body());
            }
            return res.body();
        } catch (IOException e) {
            throw new AssertionError(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + " interrupted", e);
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
