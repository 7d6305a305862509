package io.wattstream.query.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.sql.SQLException;
import java.util.Set;
import io.wattstream.query.db.AlertRepository;
import io.wattstream.query.db.Filter;

/** {@code /api/alerts/}: alert history, or only the ones still raised. */
public final class AlertsApi implements HttpService {

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
        int limit = p.integer("limit", 100, 1, 1000);
        Filter f = Filter.of(p.device("device").orElse(null), p.range());
        Responses.json(res, repo.find(f, active, limit));
    }
}
