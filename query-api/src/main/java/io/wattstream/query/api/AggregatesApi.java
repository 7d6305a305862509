package io.wattstream.query.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.state.DeviceState;
import io.wattstream.query.db.AggregateRepository;
import io.wattstream.query.db.Filter;
import io.wattstream.query.db.RetentionRepository;
import io.wattstream.query.db.Window;
import io.wattstream.query.db.WindowRow;
import io.wattstream.query.live.StateClient;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/aggregates/}: closed windows from PostgreSQL plus, when the range reaches the
 * present, each device's still-open window from the stream processor. Without {@code window} (or
 * with {@code window=auto}) the level fits the range: 1-minute windows up to 2 days, hourly ones up
 * to 125 days, daily ones beyond, and always one whose retention still keeps the range. With the stream processor
 * down the closed windows are still answered, marked {@code "open_window": "unavailable"}.
 */
public final class AggregatesApi implements HttpService {

    static final int MAX_ROWS = 50_000;
    private static final Set<String> WINDOW_VALUES = windowValues();

    private final AggregateRepository repo;
    private final RetentionRepository retention;
    private final StateClient state;
    private final Clock clock;

    public AggregatesApi(AggregateRepository repo, RetentionRepository retention, StateClient state, Clock clock) {
        this.repo = repo;
        this.retention = retention;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/aggregates", this::aggregates);
    }

    private void aggregates(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        String asked = p.choice("window", Levels.AUTO, WINDOW_VALUES);
        boolean auto = asked.equals(Levels.AUTO);
        String device = p.device("device").orElse(null);
        Params.TimeRange given = p.range();
        Instant now = clock.instant();
        Instant end = given.end() != null ? given.end() : now;
        // Without a start, the asked window's default span; left to the API, the last hour.
        Instant start = given.start() != null ? given.start()
                : end.minus((auto ? Window.ONE_MINUTE : Window.of(asked)).defaultSpan());
        if (start.isAfter(end)) {
            throw ApiException.badRequest("parameter 'start' (" + start + ") is after 'end' (" + end + ")");
        }
        Window window = auto ? Levels.choose(start, end, now, retention.current()) : Window.of(asked);
        if (Duration.between(start, end).compareTo(window.maxSpan()) > 0) {
            throw ApiException.badRequest("parameters 'start'..'end' span more than " + window.maxSpan().toDays()
                    + " days, the most for window=" + window.param());
        }
        Levels.require(window, start, now, retention.current());
        List<WindowRow> rows = new ArrayList<>(repo.closed(window, new Filter(device, start, end), MAX_ROWS));
        Set<String> stored = new java.util.HashSet<>();
        rows.forEach(r -> stored.add(r.deviceId() + "@" + r.windowStart()));
        String openWindow = "not_in_range";
        // The open window started at most one window size ago; it is in range when the range reaches it.
        if (!end.isBefore(now.minus(window.size()))) {
            try {
                // A window already written to PostgreSQL is final there; the live copy would be a duplicate.
                openWindows(window, device, start, end).stream()
                        .filter(w -> !stored.contains(w.deviceId() + "@" + w.windowStart()))
                        .forEach(rows::add);
                openWindow = "included";
            } catch (ApiException e) {
                if (e.status() != 503) {
                    throw e;
                }
                openWindow = "unavailable";
            }
        }
        rows.sort(Comparator.comparing(WindowRow::windowStart).thenComparing(WindowRow::deviceId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("window", window.param());
        body.put("start", start);
        body.put("end", end);
        body.put("open_window", openWindow);
        body.put("results", rows);
        Responses.json(res, body);
    }

    private static Set<String> windowValues() {
        Set<String> values = new java.util.HashSet<>(Window.PARAMS);
        values.add(Levels.AUTO);
        return Set.copyOf(values);
    }

    private List<WindowRow> openWindows(Window window, String device, Instant start, Instant end) {
        List<DeviceState> states = new ArrayList<>();
        if (device != null) {
            state.device(device).ifPresent(states::add);
        } else {
            states.addAll(state.devices().values());
        }
        Set<String> seen = new java.util.HashSet<>();
        List<WindowRow> out = new ArrayList<>();
        for (DeviceState s : states) {
            for (WindowRow w : StateClient.openWindows(s, window)) {
                boolean inRange = !w.windowStart().isBefore(start) && !w.windowStart().isAfter(end);
                if (inRange && seen.add(w.deviceId() + "@" + w.windowStart())) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
