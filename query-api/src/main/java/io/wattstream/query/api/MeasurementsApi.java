package io.wattstream.query.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.http.Endpoints;
import java.io.IOException;
import java.io.OutputStream;
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MeasurementsApi.class);

    static final int MAX_PAGE_SIZE = 1000;
    static final int MAX_LIMIT = 1000;
    private static final String LIST_PATH = "/api/measurements/";

    /** Export columns: the same fields and order as a JSON result. */
    private static final CsvMapper CSV = CsvMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
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
        Responses.json(res, new Page(count, page < pages ? links.page(page + 1) : null,
                page > 1 ? links.page(page - 1) : null, results));
    }

    private void latest(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        int limit = p.integer("limit", 10, 1, MAX_LIMIT);
        Responses.json(res, repo.newest(p.device("device").orElse(null), limit, clock.instant()));
    }

    /**
     * Streams every matching row, newest first. The query runs before the first byte is sent, so a
     * database that is down still gets a clean 503; rows then flow from a server-side cursor.
     */
    private void csv(ServerRequest req, ServerResponse res) throws SQLException, IOException {
        Params p = Params.of(req.query());
        Filter f = rawRange(p);
        CsvOut out = new CsvOut(res);
        try {
            repo.stream(f, out::write);
            out.open();
        } catch (SQLException | IOException | RuntimeException e) {
            if (out.started()) {
                // Closing normally would end the chunked body cleanly and a truncated file would look
                // complete; an exception after the body started makes the server drop the connection.
                LOG.warn("CSV export aborted after it started: {}", e.toString());
                throw new ExportAborted(e);
            }
            throw e; // nothing sent yet: the usual error answer (503 for the database)
        }
        out.close();
    }

    /** An export that failed half-way: the connection is dropped, never a clean end. */
    static final class ExportAborted extends RuntimeException {
        ExportAborted(Throwable cause) {
            super("export aborted", cause);
        }
    }

    /** Opens the response only when the first row (or the end) is there. */
    private static final class CsvOut {
        private final ServerResponse res;
        private OutputStream stream;
        private SequenceWriter writer;

        CsvOut(ServerResponse res) {
            this.res = res;
        }

        void open() throws IOException {
            if (writer == null) {
                res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
                res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"measurements.csv\"");
                stream = res.outputStream();
                writer = CSV.writer(CSV_SCHEMA).writeValues(stream);
            }
        }

        void write(MeasurementRow m) throws IOException {
            open();
            writer.write(m);
        }

        boolean started() {
            return writer != null;
        }

        void close() throws IOException {
            writer.close();
        }
    }

    private static CsvSchema csvSchema() {
        CsvSchema.Builder b = CsvSchema.builder().setUseHeader(true);
        for (String column : MeasurementRow.COLUMNS.replace("\"", "").split(",\\s*")) {
            b.addColumn(column);
        }
        return b.build();
    }
}
