package io.wattstream.query.api;

import io.wattstream.model.state.DeviceState;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.Money;
import io.wattstream.query.db.DailyRepository;
import io.wattstream.query.db.DailyRow;
import io.wattstream.query.live.StateClient;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code /api/energy/daily}: energy and cost per meter and local day (the day of the meter's site), or
 * summed per site ({@code group=site}). Closed days come from {@code measurement_1d}; today's, still open,
 * from the stream processor (marked {@code open}); without it the closed days are still answered, with
 * {@code "open_day": "unavailable"}.
 */
public final class EnergyApi implements HttpService {

    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 400;
    static final int MAX_ROWS = 50_000;

    private final DailyRepository repo;
    private final StateClient state;
    private final Clock clock;

    public EnergyApi(DailyRepository repo, StateClient state, Clock clock) {
        this.repo = repo;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/energy/daily", this::daily);
    }

    private void daily(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        String device = p.device("device").orElse(null);
        String site = p.site().orElse(null);
        boolean bySite = p.choice("group", "device", Set.of("device", "site")).equals("site");
        // A local day can be "tomorrow" in UTC (zones east of it): today plus one covers every open day.
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate end = p.date("end", today.plusDays(1));
        LocalDate start = p.date("start", today.minusDays(DEFAULT_DAYS - 1));
        if (start.isAfter(end)) {
            throw ApiException.badRequest("parameter 'start' (" + start + ") is after 'end' (" + end + ")");
        }
        if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
            throw ApiException.badRequest("parameters 'start'..'end' span more than " + MAX_DAYS + " days");
        }
        List<DailyRow> rows = new ArrayList<>(repo.closed(start, end, device, site, MAX_ROWS));
        String openDay = "not_in_range";
        if (!end.isBefore(today.minusDays(1))) {
            try {
                Set<String> stored = new HashSet<>();
                rows.forEach(r -> stored.add(r.deviceId() + "@" + r.windowStart()));
                for (DeviceState s : device != null ? state.device(device).map(List::of).orElse(List.of()) : state.devices().values()) {
                    StateClient.openDay(s)
                            .filter(d -> !d.day().isBefore(start) && !d.day().isAfter(end))
                            .filter(d -> site == null || site.equals(d.site()))
                            .filter(d -> !stored.contains(d.deviceId() + "@" + d.windowStart()))
                            .ifPresent(rows::add);
                }
                openDay = "included";
            } catch (ApiException e) {
                if (e.status() != 503) {
                    throw e;
                }
                openDay = "unavailable";
            }
        }
        rows.sort(Comparator.comparing(DailyRow::day).thenComparing(DailyRow::deviceId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("start", start);
        body.put("end", end);
        body.put("group", bySite ? "site" : "device");
        body.put("open_day", openDay);
        body.put("results", bySite ? bySite(rows) : rows);
        Responses.json(res, body);
    }

    /** Per site and day: the meters' energy summed; the cost summed when every meter's is known, in one currency. */
    static List<DailyRow> bySite(List<DailyRow> rows) {
        Map<String, List<DailyRow>> groups = new LinkedHashMap<>();
        for (DailyRow r : rows) {
            groups.computeIfAbsent(r.site() + "\u0000" + r.day(), k -> new ArrayList<>()).add(r);
        }
        List<DailyRow> out = new ArrayList<>();
        for (List<DailyRow> g : groups.values()) {
            DailyRow first = g.get(0);
            double energy = 0;
            BigDecimal cost = BigDecimal.ZERO;
            boolean known = true;
            boolean open = false;
            for (DailyRow r : g) {
                energy += r.energyWh();
                known &= r.cost() != null && Objects.equals(r.currency(), first.currency());
                cost = known ? Money.add(cost, r.cost()) : null;
                open |= r.open();
            }
            double wh = Math.round(energy * 1e6) / 1e6;
            String currency = known ? first.currency() : null;
            out.add(new DailyRow(null, first.site(), first.day(), first.timeZone(), first.windowStart(), first.windowEnd(),
                    g.size(), wh, cost, Money.rounded(cost, currency), currency, open));
        }
        return out;
    }
}
