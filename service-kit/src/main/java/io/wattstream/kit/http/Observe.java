package io.wattstream.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.providers.micrometer.MicrometerPrometheusFormatter;
import io.helidon.service.registry.Services;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /observe/health} and {@code /observe/metrics} of one service, answered like its other routes
 * (HEAD, 405, compression). Several services share one JVM and so one meter registry: each serves
 * only the meters named with its own prefixes ({@code gateway.}, {@code query.}) and the JVM's, so
 * scraping every service never counts a series twice.
 */
final class Observe implements HttpService {

    static final String HEALTH = "/observe/health";
    static final String METRICS = "/observe/metrics";
    /** The scope of Helidon's JVM meters (memory, threads, garbage collection, class loading, CPU). */
    private static final String JVM_SCOPE = "base";

    private final List<HealthCheck> checks;
    private final List<String> meterPrefixes;

    /** @param meterPrefixes the first parts of the service's meter names; null: no metrics endpoint */
    Observe(List<HealthCheck> checks, List<String> meterPrefixes) {
        this.checks = List.copyOf(checks);
        this.meterPrefixes = meterPrefixes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(HEALTH, this::health);
        if (meterPrefixes != null) {
            rules.get(METRICS, this::metrics);
        }
    }

    /** UP (200) when every check is, else DOWN (503); each check's status and details, as Helidon writes them. */
    private void health(ServerRequest req, ServerResponse res) throws JsonProcessingException {
        boolean up = true;
        List<Map<String, Object>> out = new ArrayList<>();
        for (HealthCheck check : checks) {
            HealthCheckResponse r;
            try {
                r = check.call();
            } catch (RuntimeException e) {
                r = HealthCheckResponse.builder().status(false).detail("error", e.getClass().getSimpleName()).build();
            }
            up &= r.status() == HealthCheckResponse.Status.UP;
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", check.name());
            one.put("status", r.status().name());
            if (!r.details().isEmpty()) {
                one.put("data", r.details());
            }
            out.add(one);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", out);
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.MAPPER.writeValueAsBytes(body));
    }

    /** Prometheus text (format 0.0.4) of this service's meters and the JVM's. */
    private void metrics(ServerRequest req, ServerResponse res) {
        MeterRegistry registry = Services.get(MeterRegistry.class);
        Set<String> names = new TreeSet<>();
        for (Meter m : registry.meters()) {
            String name = m.id().name();
            if (meterPrefixes.stream().anyMatch(p -> name.startsWith(p + "."))
                    || JVM_SCOPE.equals(m.scope().orElse(null))) {
                names.add(name);
            }
        }
        String text = names.isEmpty() ? "" : MicrometerPrometheusFormatter.builder(registry)
                .meterNameSelection(names)
                .build()
                .format()
                .map(Object::toString)
                .orElse("");
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(text.getBytes(StandardCharsets.UTF_8));
    }
}
