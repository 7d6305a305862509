package io.wattstream.query.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.sql.SQLException;
import java.util.Set;
import io.wattstream.query.db.AlertRepository;
import io.wattstream.query.db.Filter;

/** {@code /api/alerts/}: alert history (COUNTER_RESET events included), or only the ones still raised; {@code kind} picks one kind. */
public final class AlertsApi implements HttpService {

    private static final Set<String> KINDS = java.util.stream.Stream.concat(java.util.stream.Stream.of("all"),
            java.util.Arrays.stream(io.wattstream.model.Alert.Kind.values()).map(k -> k.name().toLowerCase(java.util.Locale.ROOT)))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final AlertRepository repo;

    public AlertsApi(AlertRepository repo) {
        this.repo = repo;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/alerts", this::alerts);
    }

    private void alerts(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        boolean active = p.choice("state", "all", Set.of("active", "all")).equals("active");
        String kind = p.choice("kind", "all", KINDS);
        int limit = p.integer("limit", 100, 1, 1000);
        Filter f = Filter.of(p.device("device").orElse(null), p.range());
        Responses.json(res, repo.find(f, active, kind.equals("all") ? null : kind.toUpperCase(java.util.Locale.ROOT), limit));
    }
}
