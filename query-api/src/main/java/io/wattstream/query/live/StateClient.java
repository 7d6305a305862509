package io.wattstream.query.live;

import io.wattstream.model.ChargingSession;
import io.wattstream.model.Json;
import io.wattstream.model.Money;
import io.wattstream.model.WindowStats;
import io.wattstream.model.state.AlertRules;
import io.wattstream.model.state.DeviceState;
import io.wattstream.model.state.DeviceStates;
import io.wattstream.model.state.OpenSessions;
import io.wattstream.query.api.ApiException;
import io.wattstream.query.db.DailyRow;
import io.wattstream.query.db.Window;
import io.wattstream.query.db.WindowRow;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client of the stream processor's interactive-query service ({@code /state}), reading the records of
 * {@code io.wattstream.model.state} that the processor writes: {@code GET /state/devices},
 * {@code GET /state/devices/{id}} (404 when unknown), {@code GET /state/sessions} (the open charging
 * sessions) and {@code GET /state/rules}. Every failure to get an answer is a 503 {@link ApiException}.
 * With several base URLs (one per stream-processor instance) any of them answers for every device,
 * since each routes a key to its owner: a request goes to the one that answered last, and on to the
 * next when that one cannot be reached or is not ready, so one dead instance does not take the live
 * panels down.
 */
public final class StateClient {

    /** Rules change only when the stream processor is redeployed; a short cache spares a request per call. */
    static final Duration RULES_CACHE = Duration.ofSeconds(5);

    private final List<URI> bases;
    private final AtomicInteger current = new AtomicInteger();
    private final Duration timeout;
    private final HttpClient http;
    private final Object rulesLock = new Object();
    private AlertRules rules;
    private long rulesFetchedAt;

    public StateClient(URI base, Duration timeout) {
        this(List.of(base), timeout);
    }

    public StateClient(List<URI> bases, Duration timeout) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("at least one /state base URL is needed");
        }
        this.bases = List.copyOf(bases);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Live state of every device the stream processor knows, by device id. */
    public Map<String, DeviceState> devices() {
        DeviceStates all = get("/state/devices", DeviceStates.class)
                .orElseThrow(() -> unavailable("answered 404 for /state/devices", null));
        Map<String, DeviceState> out = new LinkedHashMap<>();
        all.devices().forEach(d -> out.put(d.deviceId(), d));
        return out;
    }

    /** Live state of one device; empty when the stream processor does not know it. */
    public Optional<DeviceState> device(String deviceId) {
        return get("/state/devices/" + deviceId, DeviceState.class);
    }

    /** The alert rules the stream processor applies, at most {@link #RULES_CACHE} old. */
    public AlertRules rules() {
        synchronized (rulesLock) {
            if (rules != null && System.nanoTime() - rulesFetchedAt < RULES_CACHE.toNanos()) {
                return rules;
            }
        }
        AlertRules fresh = get("/state/rules", AlertRules.class)
                .orElseThrow(() -> unavailable("answered 404 for /state/rules", null));
        synchronized (rulesLock) {
            rules = fresh;
            rulesFetchedAt = System.nanoTime();
        }
        return fresh;
    }

    /** Every open charging session, as the stream processor holds them now. */
    public List<ChargingSession> sessions() {
        return get("/state/sessions", OpenSessions.class)
                .orElseThrow(() -> unavailable("answered 404 for /state/sessions", null)).sessions();
    }

    /** The device's open local day from its state, if it has one. */
    public static Optional<DailyRow> openDay(DeviceState state) {
        WindowStats d = state.windows() == null ? null : state.windows().get(DeviceState.WINDOW_1D);
        if (d == null || d.day() == null || d.windowStart() == null) {
            return Optional.empty();
        }
        String currency = d.cost() == null ? null : d.currency();
        return Optional.of(new DailyRow(d.deviceId() != null ? d.deviceId() : state.deviceId(), d.site(), d.day(),
                d.timeZone(), d.windowStart(), d.windowEnd(), null, d.energyWh(), d.cost(), Money.rounded(d.cost(), currency),
                currency, true));
    }

    /** The device's most recent window of the given size from its state (none when it has none). */
    public static List<WindowRow> openWindows(DeviceState state, Window window) {
        WindowStats w = state.windows() == null ? null : state.windows().get(window.param());
        if (w == null || w.windowStart() == null || w.windowEnd() == null) {
            return List.of();
        }
        String id = w.deviceId() != null ? w.deviceId() : state.deviceId();
        return List.of(new WindowRow(id, w.windowStart(), w.windowEnd(), w.count(), w.powerMin(), w.powerMax(),
                w.powerAvg(), w.voltageAvg(), w.currentAvg(), w.energyWh(), w.energyReturnedWh(), w.energyFromPowerWh(),
                w.energyMismatch(), 0, true, w.cost(), w.currency()));
    }

    private <T> Optional<T> get(String path, Class<T> type) {
        int first = current.get();
        ApiException last = null;
        for (int i = 0; i < bases.size(); i++) {
            int at = (first + i) % bases.size();
            try {
                Optional<T> answer = get(bases.get(at), path, type);
                current.set(at);
                return answer;
            } catch (ApiException e) {
                last = e;
            }
        }
        throw last;
    }

    private <T> Optional<T> get(URI base, String path, Class<T> type) {
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
            return Optional.of(Json.MAPPER.readValue(res.body(), type));
        } catch (IOException e) {
            throw unavailable("answered with invalid JSON for " + path, e);
        }
    }

    private static ApiException unavailable(String what, Throwable cause) {
        return ApiException.unavailable("stream processor state " + what, cause);
    }
}
