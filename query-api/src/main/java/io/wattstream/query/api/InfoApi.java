package io.wattstream.query.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import io.wattstream.query.QueryConfig;

/** {@code /api/config} (what the dashboard needs to draw thresholds) and the static {@code /openapi} document. */
public final class InfoApi implements HttpService {

    static final String OPENAPI_RESOURCE = "io/wattstream/query/openapi.yaml";

    private final QueryConfig cfg;
    private final byte[] openapi;

    public InfoApi(QueryConfig cfg) {
        this.cfg = cfg;
        try (InputStream in = InfoApi.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            this.openapi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/config", this::config);
        Routes.get(rules, "/openapi", this::openapi);
    }

    private void config(ServerRequest req, ServerResponse res) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alert_threshold_w", cfg.alertThresholdW());
        body.put("alert_hysteresis", cfg.alertHysteresis());
        body.put("alert_clear_below_w", cfg.alertThresholdW() * (1 - cfg.alertHysteresis()));
        body.put("max_page_size", MeasurementsApi.MAX_PAGE_SIZE);
        body.put("stream_heartbeat_s", cfg.heartbeat().toSeconds());
        Responses.json(res, body);
    }

    private void openapi(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
        res.send(openapi);
    }
}
