package io.wattstream.query.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.wattstream.query.api.ApiException;
import io.wattstream.query.db.Window;
import io.wattstream.query.db.WindowRow;

/**
 * Client of the stream processor's interactive-query service ({@code /state}). Everything that
 * knows the shape of its JSON lives here: {@code GET /state/devices} answers
 * {@code {"devices": [state...]}} and {@code GET /state/devices/{id}} one state (404 when unknown),
 * each state {@code {device_id, latest_reading, last_seen_at, alerts: [alert...],
 * windows: {"1m": window, "1h": window}, served_by}}, where a window is the device's most recent
 * one, still open or not yet emitted. The state is passed through to API clients unchanged; only
 * the windows are read field by field.
 */
public final class StateClient {

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    public StateClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Live state of every device the stream processor knows, by device id. */
    public Map<String, JsonNode> devices() {
        JsonNode body = get("/state/devices").orElseThrow(() -> unavailable("answered 404 for /state/devices", null));
        JsonNode list = body.isArray() ? body : body.path("devices");
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (list.isArray()) {
            list.forEach(d -> out.put(d.path("device_id").asText(), d));
        } else if (body.isObject()) {
            // A map keyed by device id is the other natural shape; accept it too.
            body.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Live state of one device; empty when the stream processor does not know it. */
    public Optional<JsonNode> device(String deviceId) {
        return get("/state/devices/" + deviceId);
    }

    /** The device's most recent window of the given size from its state (none when it has none). */
    public static List<WindowRow> openWindows(JsonNode deviceState, Window window) {
        List<WindowRow> out = new ArrayList<>();
        JsonNode w = deviceState.path("windows").path(window.param());
        if (w.isObject()) {
            toRow(deviceState, w).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<WindowRow> toRow(JsonNode device, JsonNode n) {
        if (!n.hasNonNull("window_start") || !n.hasNonNull("window_end")) {
            return Optional.empty();
        }
        String id = n.hasNonNull("device_id") ? n.path("device_id").asText() : device.path("device_id").asText();
        return Optional.of(new WindowRow(id, Instant.parse(n.path("window_start").asText()),
                Instant.parse(n.path("window_end").asText()), n.path("count").asLong(),
                n.path("power_min").asDouble(), n.path("power_max").asDouble(), n.path("power_avg").asDouble(),
                n.path("voltage_avg").asDouble(), n.path("current_avg").asDouble(), n.path("energy_wh").asDouble(),
                n.path("energy_returned_wh").asDouble(), n.path("energy_from_power_wh").asDouble(),
                n.path("energy_mismatch").asBoolean(), 0, true));
    }

    private Optional<JsonNode> get(String path) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable("cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("request interrupted", e);
        }
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        if (res.statusCode() != 200) {
            throw unavailable("answered HTTP " + res.statusCode() + " for " + path, null);
        }
        try {
            return Optional.of(Json.MAPPER.readTree(res.body()));
        } catch (IOException e) {
            throw unavailable("answered with invalid JSON for " + path, e);
        }
    }

    private static ApiException unavailable(String what, Throwable cause) {
        return ApiException.unavailable("stream processor state " + what, cause);
    }
}
