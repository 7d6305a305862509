package io.wattstream.query.api;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.state.AlertRules;
import io.wattstream.query.live.StateClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/config}: what the dashboard needs to draw thresholds and tell stale devices. The
 * thresholds are the stream processor's ({@code /state/rules}): the line the dashboard draws is the
 * one that raises alerts. Without the stream processor {@code /api/config} is a 503.
 */
public final class InfoApi implements HttpService {

    /** The OpenAPI document of the query API, served by the kit at {@code /openapi}. */
    public static final String OPENAPI_RESOURCE = "io/wattstream/query/openapi.yaml";

    private final StateClient state;
    private final Duration heartbeat;

    public InfoApi(StateClient state, Duration heartbeat) {
        this.state = state;
        this.heartbeat = heartbeat;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/config", this::config);
    }

    private void config(ServerRequest req, ServerResponse res) {
        AlertRules rules = state.rules();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alert_threshold_w", rules.defaultThresholdW());
        body.put("alert_hysteresis", rules.hysteresis());
        body.put("alert_clear_below_w", rules.clearBelowW(rules.defaultThresholdW()));
        body.put("offline_after_s", rules.offlineAfterS());
        body.put("stale_after_s", rules.staleAfterS());
        body.put("max_page_size", MeasurementsApi.MAX_PAGE_SIZE);
        body.put("stream_heartbeat_s", heartbeat.toSeconds());
        Responses.json(res, body);
    }
}
