package io.wattstream.query.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.state.AlertRules;
import io.wattstream.query.live.StateClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/config} (what the dashboard needs to draw thresholds) and the static {@code /openapi}
 * document. The thresholds are the stream processor's ({@code /state/rules}): the line the dashboard
 * draws is the one that raises alerts. Without the stream processor {@code /api/config} is a 503.
 */
public final class InfoApi implements HttpService {

    static final String OPENAPI_RESOURCE = "io/wattstream/query/openapi.yaml";

    private final StateClient state;
    private final Duration heartbeat;
    private final byte[] openapi;

    public InfoApi(StateClient state, Duration heartbeat) {
        this.state = state;
        this.heartbeat = heartbeat;
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
        AlertRules rules = state.rules();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alert_threshold_w", rules.defaultThresholdW());
        body.put("alert_hysteresis", rules.hysteresis());
        body.put("alert_clear_below_w", rules.clearBelowW(rules.defaultThresholdW()));
        body.put("max_page_size", MeasurementsApi.MAX_PAGE_SIZE);
        body.put("stream_heartbeat_s", heartbeat.toSeconds());
        Responses.json(res, body);
    }

    private void openapi(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
        res.send(openapi);
    }
}
