package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.wattstream.kit.access.ApiTokens;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertKey;
import io.wattstream.model.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on the real query API, with reads closed (the default): every write endpoint of the
 * OpenAPI document without a token, with a viewer's and with an admin's; reads with and without a
 * token; the same 401 whatever was sent.
 */
class AccessIT {

    static final Instant STARTED = Instant.parse("2026-11-20T09:00:00.5Z");
    static TestStack stack;

    /** One write, with a body that is valid for it, and the status an admin gets. */
    record Write(String method, String template, String path, String body, int admin) {
    }

    /** Every write the API has, in an order in which each succeeds for an admin. */
    static List<Write> writes() {
        String alert = new AlertKey("acc-1", Alert.Kind.POWER_OVER_THRESHOLD, STARTED, "").id();
        return List.of(
                new Write("PUT", "/api/devices/{id}", "/api/devices/acc-1", "{\"name\":\"Bay 1\"}", 200),
                new Write("PUT", "/api/notifications/channels/{id}", "/api/notifications/channels/acc-hook",
                        "{\"type\":\"WEBHOOK\",\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"0123456789abcdef-acc\"}", 200),
                new Write("PUT", "/api/notifications/routes/{id}", "/api/notifications/routes/acc-route",
                        "{\"channels\":[\"acc-hook\"]}", 200),
                new Write("DELETE", "/api/notifications/routes/{id}", "/api/notifications/routes/acc-route", null, 204),
                new Write("DELETE", "/api/notifications/channels/{id}", "/api/notifications/channels/acc-hook", null, 204),
                new Write("POST", "/api/alerts/{id}/ack", "/api/alerts/" + alert + "/ack", "{\"note\":\"seen\"}", 200),
                new Write("PUT", "/api/tariffs/{id}", "/api/tariffs/acc-flat",
                        "{\"name\":\"Flat\",\"site\":\"Acc\",\"currency\":\"EUR\",\"time_zone\":\"UTC\",\"valid_from\":\"2026-01-01\","
                                + "\"zones\":[{\"name\":\"all day\",\"from\":\"00:00\",\"to\":\"24:00\",\"price_per_kwh\":0.30}]}", 200),
                new Write("DELETE", "/api/tariffs/{id}", "/api/tariffs/acc-flat", null, 200));
    }

    @BeforeAll
    static void start() {
        stack = new TestStack(Map.of("app.auth.open-reads", "false"));
        stack.sql("insert into alert (device_id, kind, started_at, state, threshold_w, power_w, peak_w) values "
                + "('acc-1', 'POWER_OVER_THRESHOLD', '" + STARTED + "', 'RAISED', 3500, 3600, 3600)");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static HttpResponse<String> call(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.url(path))).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return stack.send(b.build());
    }

    static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    @Test
    void theWriteTableCoversEveryWriteTheApiDocumentsAndNoMore() throws Exception {
        JsonNode doc = new YAMLMapper().readTree(stack.get("/openapi").body());
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
            boolean isPublic = op.getValue().has("security") && op.getValue().path("security").isEmpty();
            if (!op.getKey().equals("get") && !op.getKey().equals("parameters") && !isPublic) {
                documented.add(op.getKey().toUpperCase() + " " + p.getKey());
            }
        }));
        Set<String> tested = new TreeSet<>();
        writes().forEach(w -> tested.add(w.method() + " " + w.template()));
        assertThat(tested).isEqualTo(documented);
    }

    @Test
    void everyWriteIsRefusedWithoutATokenAndForAViewerAndDoneForAnAdmin() throws Exception {
        String unauthenticated = null;
        for (Write w : writes()) {
            String what = w.method() + " " + w.path();
            HttpResponse<String> none = call(w.method(), w.path(), w.body());
            assertThat(none.statusCode()).as(what + " without a token: " + none.body()).isEqualTo(401);
            unauthenticated = unauthenticated == null ? none.body() : unauthenticated;
            assertThat(none.body()).as("the same 401 everywhere").isEqualTo(unauthenticated);
            HttpResponse<String> unknown = call(w.method(), w.path(), w.body(), bearer(ApiTokens.generate()));
            assertThat(unknown.statusCode()).as(what + " with an unknown token").isEqualTo(401);
            assertThat(unknown.body()).isEqualTo(unauthenticated);

            HttpResponse<String> viewer = call(w.method(), w.path(), w.body(), bearer(TestStack.VIEWER_TOKEN));
            assertThat(viewer.statusCode()).as(what + " as a viewer: " + viewer.body()).isEqualTo(403);
            assertThat(Json.MAPPER.readTree(viewer.body()).path("error").asText()).isEqualTo("this needs the admin role");

            HttpResponse<String> admin = call(w.method(), w.path(), w.body(), bearer(TestStack.ADMIN_TOKEN));
            assertThat(admin.statusCode()).as(what + " as an admin: " + admin.body()).isEqualTo(w.admin());
        }
        assertThat(Json.MAPPER.readTree(unauthenticated).path("error").asText()).startsWith("authentication required");
        // What the refused writes would have done did not happen: only the admin's.
        JsonNode device = Json.MAPPER.readTree(call("GET", "/api/devices/acc-1", null, bearer(TestStack.VIEWER_TOKEN)).body());
        assertThat(device.path("name").asText()).isEqualTo("Bay 1");
    }

    @Test
    void aWriteNoRouteKnowsStillNeedsAnAdmin() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            assertThat(call(method, "/api/nothing-here/1", "{}").statusCode()).as(method).isEqualTo(401);
            assertThat(call(method, "/index.html", "{}", bearer(TestStack.VIEWER_TOKEN)).statusCode()).as(method).isEqualTo(403);
            assertThat(call(method, "/api/nothing-here/1", "{}", bearer(TestStack.ADMIN_TOKEN)).statusCode()).as(method).isEqualTo(404);
        }
    }

    @Test
    void readsNeedAViewerTokenAndTheDashboardFilesDoNot() {
        List<String> reads = List.of("/api/measurements/", "/api/measurements/latest/", "/api/alerts/", "/api/devices/",
                "/api/notifications/channels/", "/api/notifications/routes/", "/observe/metrics");
        List<Integer> refused = new ArrayList<>();
        for (String path : reads) {
            HttpResponse<String> none = call("GET", path, null);
            refused.add(none.statusCode());
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
            assertThat(call("GET", path, null, bearer(TestStack.VIEWER_TOKEN)).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(new LinkedHashSet<>(refused)).containsExactly(401);
        for (String open : List.of("/", "/js/main.js", "/openapi", "/observe/health")) {
            assertThat(call("GET", open, null).statusCode()).as(open).isIn(200, 503);
        }
    }

    @Test
    void aDashboardSessionWritesOnlyWithItsCsrfToken() throws Exception {
        HttpResponse<String> login = call("POST", "/api/session", "{\"token\":\"" + TestStack.ADMIN_TOKEN + "\"}");
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = Json.MAPPER.readTree(login.body()).path("csrf_token").asText();
        assertThat(call("GET", "/api/devices/", null, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(call("PUT", "/api/devices/acc-2", "{\"name\":\"Bay 2\"}", "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(call("PUT", "/api/devices/acc-2", "{\"name\":\"Bay 2\"}", "Cookie", cookie, "X-CSRF-Token", csrf).statusCode())
                .isEqualTo(200);
        assertThat(call("DELETE", "/api/session", null, "Cookie", cookie).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/devices/", null, "Cookie", cookie).statusCode()).isEqualTo(401);
    }
}
