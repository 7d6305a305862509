package io.wattstream.query.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Money;
import io.wattstream.query.db.SessionFilter;
import io.wattstream.query.db.SessionRepository;
import io.wattstream.query.live.StateClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /api/sessions/}: charging sessions from {@code charging_session} (paginated like the prototype's
 * list), one session, a CSV export (one row per session, for reimbursement), and the open sessions live
 * from the stream processor's state.
 */
public final class SessionsApi implements HttpService {

    static final int MAX_PAGE_SIZE = 1000;
    private static final String LIST_PATH = "/api/sessions/";
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** One row per session: what a reimbursement or tax form asks for. */
    private static final List<String> CSV_COLUMNS = List.of("session_id", "device_id", "device_name", "site", "state",
            "started_at", "ended_at", "duration_s", "energy_kwh", "peak_power_w", "avg_power_w", "pauses", "cost", "currency",
            "zones", "offline", "counter_reset");

    /** A CSV row: energy in kWh to the Wh, cost rounded to the currency's minor unit. */
    record CsvRow(String sessionId, String deviceId, String deviceName, String site, String state, Instant startedAt,
                  Instant endedAt, double durationS, BigDecimal energyKwh, double peakPowerW, double avgPowerW, int pauses,
                  BigDecimal cost, String currency, String zones, boolean offline, boolean counterReset) {

        static CsvRow of(ChargingSession s) {
            String zones = s.zones().stream().map(z -> z.tariffId() + " " + z.zone() + ": "
                            + kwh(z.energyWh()).toPlainString() + " kWh" + (s.currency() == null ? ""
                            : " " + Money.rounded(z.cost(), s.currency()).toPlainString() + " " + s.currency()))
                    .collect(Collectors.joining("; "));
            return new CsvRow(s.sessionId(), s.deviceId(), s.deviceName(), s.site(), s.state().name(), s.startedAt(),
                    s.endedAt(), s.durationS(), kwh(s.energyWh()), s.peakPowerW(), s.avgPowerW(), s.pauses(),
                    Money.rounded(s.cost(), s.currency()), s.currency(), zones, s.offline(), s.counterReset());
        }

        private static BigDecimal kwh(double wh) {
            return BigDecimal.valueOf(wh).movePointLeft(3).setScale(3, RoundingMode.HALF_UP);
        }
    }

    private final SessionRepository repo;
    private final StateClient state;

    public SessionsApi(SessionRepository repo, StateClient state) {
        this.repo = repo;
        this.state = state;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/sessions/live", this::live);
        Routes.get(rules, "/api/sessions/{id}", this::one);
        Routes.get(rules, "/api/sessions", this::list);
        rules.get("/api/sessions.csv", this::csv);
    }

    private void list(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        int page = p.integer("page", 1, 1, Integer.MAX_VALUE);
        int pageSize = p.integer("page_size", 10, 1, MAX_PAGE_SIZE);
        SessionFilter f = filter(p);
        long count = repo.count(f);
        long pages = Math.max(1, (count + pageSize - 1) / pageSize);
        if (page > pages) {
            throw ApiException.notFound("page " + page + " is past the end: there " + (pages == 1 ? "is 1 page" : "are " + pages + " pages"));
        }
        List<SessionRow> results = repo.page(f, pageSize, (long) (page - 1) * pageSize).stream()
                .map(s -> SessionRow.of(s, false)).toList();
        PageLinks links = new PageLinks(req.requestedUri(), LIST_PATH, p.asMap());
        Responses.json(res, new Page<>(count, page < pages ? links.page(page + 1) : null,
                page > 1 ? links.page(page - 1) : null, results));
    }

    /** The stored session; one opened so recently that the sink has not written it yet comes from the live state. */
    private void one(ServerRequest req, ServerResponse res) throws SQLException {
        String id = req.path().pathParameters().get("id");
        if (!SESSION_ID.matcher(id).matches()) {
            throw ApiException.badRequest("parameter 'id' must be a session id (a UUID such as "
                    + "3f2c0a8e-0c1d-3b6e-9a51-2f8e1b7c4d90), got '" + Params.abbreviate(id) + "'");
        }
        Optional<SessionRow> row = repo.find(id).map(s -> SessionRow.of(s, false));
        if (row.isEmpty()) {
            try {
                row = state.sessions().stream().filter(s -> s.sessionId().equals(id)).findFirst().map(s -> SessionRow.of(s, true));
            } catch (ApiException e) {
                if (e.status() != 503) {
                    throw e;
                }
            }
        }
        Responses.json(res, row.orElseThrow(() -> ApiException.notFound("no session '" + id + "'")));
    }

    /** Every open session as it stands now (the stream processor's state); 503 while it cannot be reached. */
    private void live(ServerRequest req, ServerResponse res) {
        Params p = Params.of(req.query());
        String device = p.device("device").orElse(null);
        String site = p.site().orElse(null);
        List<SessionRow> open = state.sessions().stream()
                .filter(s -> device == null || device.equals(s.deviceId()))
                .filter(s -> site == null || site.equals(s.site()))
                .map(s -> SessionRow.of(s, true)).toList();
        Responses.json(res, Map.of("sessions", open));
    }

    private void csv(ServerRequest req, ServerResponse res) throws SQLException, IOException {
        SessionFilter f = filter(Params.of(req.query()));
        CsvExport.send(res, CSV_SCHEMA, "sessions.csv", sink -> repo.stream(f, s -> sink.accept(CsvRow.of(s))));
    }

    private static final com.fasterxml.jackson.dataformat.csv.CsvSchema CSV_SCHEMA = CsvExport.columns(CSV_COLUMNS);

    private static SessionFilter filter(Params p) {
        Params.TimeRange range = p.range();
        String state = p.choice("state", "all", Set.of("open", "closed", "all"));
        return new SessionFilter(p.device("device").orElse(null), p.site().orElse(null), range.start(), range.end(),
                state.equals("all") ? null : state);
    }
}
