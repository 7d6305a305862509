package io.wattstream.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.health.HealthCheck;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.wattstream.kit.JsonErrors;
import io.wattstream.model.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service's web server as the kit builds it, on a free port: HEAD, OPTIONS and 405 on every route,
 * JSON errors (with the prototype's {@code detail} on its routes, without a body on HEAD), gzip when
 * asked and worth it, static files with strong validators and a clean 304, and metrics of the
 * service's own meters only.
 */
class HttpSemanticsIT {

    private static final String BIG_JSON = "{\"items\":[" + "\"same words again and again\",".repeat(100) + "\"end\"]}";
    private static WebServer server;
    private static WebServer other;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A small service: a JSON list, a small answer, a streamed CSV, an endless event stream, a prototype route. */
    private static final class Sample implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/api/items", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/json").send(BIG_JSON))
                    .put("/api/items", (req, res) -> res.send("put"))
                    .get("/api/small", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"a\":1}"))
                    .get("/api/items.csv", (req, res) -> {
                        res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
                        try (OutputStream out = res.outputStream()) {
                            for (int i = 0; i < 200; i++) {
                                out.write(("row " + i + ",same,words\n").getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    })
                    .get("/api/events", (req, res) -> {
                        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                        if (Endpoints.isHead(req)) {
                            res.send();
                            return;
                        }
                        try (OutputStream out = res.outputStream()) {
                            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
                        }
                    })
                    .get("/api/legacy", Endpoints.prototype((req, res) -> {
                        throw new IllegalArgumentException("page 9 is past the end");
                    }))
                    .get("/api/plain-error", (req, res) -> {
                        throw new IllegalArgumentException("bad parameter 'x'");
                    });
        }
    }

    @BeforeAll
    static void start() {
        MeterRegistry registry = Services.get(MeterRegistry.class);
        registry.getOrCreate(Counter.builder("sample.requests")).increment();
        registry.getOrCreate(Counter.builder("other.requests")).increment();
        registry.getOrCreate(Counter.builder("bridged.records")).increment();
        HealthCheck up = new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public String name() {
                return "sample";
            }

            @Override
            public HealthCheckResponse call() {
                return HealthCheckResponse.builder().status(true).detail("answers", "yes").build();
            }
        };
        server = ServiceServer.builder("sample")
                .port(0)
                .errors(r -> r.error(IllegalArgumentException.class,
                                (req, res, e) -> JsonErrors.send(req, res, Status.BAD_REQUEST_400, e.getMessage(),
                                        "Invalid page."))
                        .error(io.helidon.http.HttpException.class, JsonErrors::helidon))
                .check(up)
                .metrics("sample", "bridged")
                .routes(new Sample(), StaticFiles.fromClasspath(HttpSemanticsIT.class.getClassLoader(), "kit-static", "/",
                        "index.html", "no-cache"))
                .start();
        other = ServiceServer.builder("other").port(0).metrics("other").start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        other.stop();
    }

    @Test
    void headAnswersLikeGetWithoutABody() throws Exception {
        for (String path : List.of("/api/items", "/api/small", "/api/items.csv", "/index.html", "/", "/observe/health",
                "/observe/metrics")) {
            for (boolean gzip : List.of(false, true)) {
                HttpResponse<byte[]> get = send("GET", path, gzip);
                HttpResponse<byte[]> head = send("HEAD", path, gzip);
                assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode()).isEqualTo(200);
                assertThat(head.body()).as(path).isEmpty();
                for (String h : List.of("content-type", "content-encoding", "etag", "cache-control", "vary")) {
                    assertThat(head.headers().allValues(h)).as(path + " " + h).isEqualTo(get.headers().allValues(h));
                }
                long sent = get.headers().firstValueAsLong("content-length").orElse(get.body().length);
                if (!path.startsWith("/observe/metrics")) { // a fresh scrape may differ by a byte
                    assertThat(head.headers().firstValueAsLong("content-length")).as(path).hasValue(sent);
                }
            }
        }
    }

    @Test
    void headOfAnEndlessStreamAnswersAtOnce() throws Exception {
        HttpResponse<byte[]> head = send("HEAD", "/api/events", false);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void anUnsupportedMethodOnAKnownPathIs405WithAllow() throws Exception {
        HttpResponse<byte[]> r = send("DELETE", "/api/items", false);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD, PUT, OPTIONS");
        assertThat(json(r).get("error").asText()).contains("DELETE");
        assertThat(send("POST", "/index.html", false).headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(send("POST", "/observe/health", false).statusCode()).isEqualTo(405);
    }

    @Test
    void optionsAnswersWithAllow() throws Exception {
        HttpResponse<byte[]> r = send("OPTIONS", "/api/items", false);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD, PUT, OPTIONS");
        assertThat(send("OPTIONS", "/observe/metrics", false).headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
    }

    @Test
    void anUnknownPathIsAJson404AndItsHeadHasNoBody() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/nothing/here", false);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json(r).get("error").asText()).isEqualTo("no endpoint GET /nothing/here");
        HttpResponse<byte[]> head = send("HEAD", "/nothing/here", false);
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
        HttpResponse<byte[]> headError = send("HEAD", "/api/plain-error", false);
        assertThat(headError.statusCode()).isEqualTo(400);
        assertThat(headError.body()).isEmpty();
    }

    @Test
    void aPrototypeRouteAddsTheDjangoDetailBesideTheError() throws Exception {
        JsonNode legacy = json(send("GET", "/api/legacy", false));
        assertThat(legacy.get("detail").asText()).isEqualTo("Invalid page.");
        assertThat(legacy.get("error").asText()).isEqualTo("page 9 is past the end");
        assertThat(json(send("PATCH", "/api/legacy", false)).get("detail").asText()).isEqualTo("Method \"PATCH\" not allowed.");
        assertThat(json(send("GET", "/api/plain-error", false)).has("detail")).isFalse();
    }

    @Test
    void answersAreCompressedWhenAskedAndWorthIt() throws Exception {
        HttpResponse<byte[]> big = send("GET", "/api/items", true);
        assertThat(big.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(big.headers().allValues("vary")).contains("Accept-Encoding");
        assertThat(gunzip(big.body())).isEqualTo(BIG_JSON);
        assertThat(big.body().length).isLessThan(BIG_JSON.length() / 4);
        assertThat(send("GET", "/api/items", false).headers().firstValue("content-encoding")).isEmpty();
        assertThat(send("GET", "/api/small", true).headers().firstValue("content-encoding")).isEmpty();
        HttpResponse<byte[]> csv = send("GET", "/api/items.csv", true);
        assertThat(csv.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gunzip(csv.body())).startsWith("row 0,same,words\n").endsWith("row 199,same,words\n");
        assertThat(send("GET", "/api/events", true).headers().firstValue("content-encoding")).isEmpty();
        HttpResponse<byte[]> refused = sendWith("GET", "/api/items", "Accept-Encoding", "gzip;q=0, identity");
        assertThat(refused.headers().firstValue("content-encoding")).isEmpty();
    }

    @Test
    void aRevalidatedFileIs304WithItsValidatorsAndNoEntity() throws Exception {
        HttpResponse<byte[]> first = send("GET", "/js/app.js", false);
        String etag = first.headers().firstValue("etag").orElseThrow();
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(first.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(first.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        HttpResponse<byte[]> again = sendWith("GET", "/js/app.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("etag")).hasValue(etag);
        assertThat(again.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(again.headers().firstValue("content-type")).isEmpty();
        // the gzip form has a tag of its own, and revalidates too
        HttpResponse<byte[]> zipped = send("GET", "/js/app.js", true);
        String zippedTag = zipped.headers().firstValue("etag").orElseThrow();
        assertThat(zippedTag).isNotEqualTo(etag);
        assertThat(sendWith("GET", "/js/app.js", "If-None-Match", zippedTag).statusCode()).isEqualTo(304);
        assertThat(sendWith("GET", "/js/app.js", "If-None-Match", "\"another-version\"").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/index.html", false).headers().firstValue("etag"))
                .isNotEqualTo(first.headers().firstValue("etag"));
    }

    @Test
    void metricsShowTheServicesOwnMetersAndTheJvmsOnly() throws Exception {
        String mine = new String(send("GET", "/observe/metrics", false).body(), StandardCharsets.UTF_8);
        String theirs = new String(sendTo(other, "/observe/metrics").body(), StandardCharsets.UTF_8);
        assertThat(mine).contains("sample_requests_total", "bridged_records_total").doesNotContain("other_requests");
        assertThat(theirs).contains("other_requests_total").doesNotContain("sample_requests", "bridged_records");
        assertThat(mine).containsPattern("(?m)^# TYPE jvm_\\S+ ");
        assertThat(PrometheusText.series(mine)).doesNotHaveDuplicates();
        PrometheusText.assertValid(mine);
    }

    @Test
    void healthAnswersUpWithEachCheck() throws Exception {
        JsonNode health = json(send("GET", "/observe/health", false));
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("checks").get(0).get("name").asText()).isEqualTo("sample");
        assertThat(health.get("checks").get(0).get("data").get("answers").asText()).isEqualTo("yes");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static HttpResponse<byte[]> send(String method, String path, boolean gzip) throws IOException, InterruptedException {
        return gzip ? sendWith(method, path, "Accept-Encoding", "gzip, deflate") : sendWith(method, path, null, null);
    }

    private static HttpResponse<byte[]> sendWith(String method, String path, String header, String value)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (header != null) {
            b.header(header, value);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> sendTo(WebServer s, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
