package io.wattstream.query.api;

import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.http.Endpoints;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import io.wattstream.query.db.CountCache;
import io.wattstream.query.db.Filter;
import io.wattstream.query.db.MeasurementRepository;
import io.wattstream.query.db.MeasurementRow;
import io.wattstream.query.db.RetentionRepository;
import java.time.Clock;

/** {@code /api/measurements/}: the prototype's paginated list, the newest readings and a CSV export. */
public final class MeasurementsApi implements HttpService {

    static final int MAX_PAGE_SIZE = 1000;
    static final int MAX_LIMIT = 1000;
    private static final String LIST_PATH = "/api/measurements/";

    /** Export columns: the same fields and order as a JSON result. */
    private static final CsvSchema CSV_SCHEMA = csvSchema();

    private final MeasurementRepository repo;
    private final CountCache counts;
    private final RetentionRepository retention;
    private final Clock clock;

    public MeasurementsApi(MeasurementRepository repo, CountCache counts, RetentionRepository retention, Clock clock) {
        this.repo = repo;
        this.counts = counts;
        this.retention = retention;
        this.clock = clock;
    }

    /** The filter of a range of raw readings; a range past their retention is 410, not an empty page. */
    private Filter rawRange(Params p) throws SQLException {
        Filter f = Filter.of(p.device("device").orElse(null), p.range());
        Levels.requireRaw(f.start(), f.end(), clock.instant(), retention.current());
        return f;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/measurements/latest", Endpoints.prototype(this::latest));
        Routes.get(rules, "/api/measurements", Endpoints.prototype(this::list));
        rules.get("/api/measurements.csv", this::csv);
    }

    private void list(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        int page = p.integer("page", 1, 1, Integer.MAX_VALUE);
        int pageSize = p.integer("page_size", 10, 1, MAX_PAGE_SIZE);
        Filter f = rawRange(p);
        long count = counts.count(f, repo::count);
        long pages = Math.max(1, (count + pageSize - 1) / pageSize);
        if (page > pages) {
            throw ApiException.invalidPage("page " + page + " is past the end: there " + (pages == 1 ? "is 1 page" : "are " + pages + " pages"));
        }
        List<MeasurementRow> results = repo.page(f, pageSize, (long) (page - 1) * pageSize);
        PageLinks links = new PageLinks(req.requestedUri(), LIST_PATH, p.asMap());
        Responses.json(res, new Page<>(count, page < pages ? links.page(page + 1) : null,
                page > 1 ? links.page(page - 1) : null, results));
    }

    private void latest(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        int limit = p.integer("limit", 10, 1, MAX_LIMIT);
        Responses.json(res, repo.newest(p.device("device").orElse(null), limit, clock.instant()));
    }

    /** Streams every matching row, newest first. */
    private void csv(ServerRequest req, ServerResponse res) throws SQLException, IOException {
        Params p = Params.of(req.query());
        Filter f = rawRange(p);
        CsvExport.send(res, CSV_SCHEMA, "measurements.csv", sink -> repo.stream(f, sink::accept));
    }

    private static CsvSchema csvSchema() {
        return CsvExport.columns(List.of(MeasurementRow.COLUMNS.replace("\"", "").split(",\\s*")));
    }
}
