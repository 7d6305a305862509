package io.wattstream.local;

import static io.wattstream.local.StackClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.wattstream.kit.http.PrometheusText;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertKey;
import io.wattstream.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * HTTP as a user meets it, on one local stack started for this class: every {@code curl} example of
 * the README runs as written (ports moved to this stack's) and gets a 2xx; the one origin serves the
 * webhook, the API, the live feed and the dashboard together, with the prototype's error bodies; the
 * OpenAPI documents validate and describe the services' real answers; every service answers HEAD,
 * OPTIONS and 405 by RFC 9110 and exposes only its own metrics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpContractIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Reads the live feeds: off the thread that opened them, even when the response is already there. */
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(Options.parse(new String[] {"--ephemeral", "--gateway-port", "0", "--query-port", "0",
                "--origin-port", "0", "--connect-port", "0", "--state-port", "0", "--notifier-port", "0", "--kafka-port", "0", "--postgres-port", "0"},
                Map.of()), new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    // ---- the README ----

    @Test
    @Order(1)
    void everyCurlExampleOfTheReadmeRunsAndGetsA2xx() throws Exception {
        List<String> all = readmeCurlCommands();
        assertThat(all).as("curl examples in README.md").hasSizeGreaterThan(20);
        // Calls to a device's own RPC API cannot run without the device: each is checked for its form.
        List<String> toDevice = all.stream().filter(c -> c.contains("http://DEVICE/")).toList();
        assertThat(toDevice).as("device RPC calls in 'Connect a device'").isNotEmpty();
        toDevice.forEach(HttpContractIT::assertWellFormedDeviceCall);
        List<String> commands = all.stream().filter(c -> !toDevice.contains(c)).toList();
        Map<String, String> ports = Map.of("8080", port(stack.gatewayUrl()), "8081", port(stack.queryUrl()),
                "8084", port(stack.stateUrl()), "8083", port(stack.connectUrl()), "8000", port(stack.originUrl()),
                "8085", port(stack.notifierUrl()));
        for (String command : commands) {
            String local = command;
            for (Map.Entry<String, String> p : ports.entrySet()) {
                local = local.replace("localhost:" + p.getKey(), "127.0.0.1:" + p.getValue());
            }
            assertThat(local).as("every example names a port of the stack: " + command).doesNotContain("localhost:");
            boolean stream = command.contains(" -N ");
            // A stream never ends by itself: it is cut after 3 s, which curl reports as exit 28.
            String run = local.replaceFirst("^curl ", "curl -sS --fail-with-body -o /dev/null -w '%{http_code}' --max-time "
                    + (stream ? "3 " : "15 "));
            String ran = runUntil2xx(run, stream);
            assertThat(ran).as(command).startsWith("2");
        }
    }

    /** The device RPC methods the README's "Connect a device" may call (Shelly Gen2 API). */
    private static final Set<String> DEVICE_METHODS = Set.of("Ws.SetConfig", "Shelly.Reboot",
            "Webhook.Create", "Script.Create", "Script.PutCode", "Script.SetConfig", "Script.Start");
    private static final Pattern DEVICE_CALL = Pattern.compile("^curl -X POST -d '(.*)' http://DEVICE/rpc/([A-Za-z]+\\.[A-Za-z]+)$");

    /** A POST of a JSON body to one of the device's RPC methods, its gateway URL on the gateway's port. */
    private static void assertWellFormedDeviceCall(String command) {
        Matcher m = DEVICE_CALL.matcher(command);
        assertThat(m.matches()).as("a device call is curl -X POST -d '<json>' http://DEVICE/rpc/<Method>: " + command).isTrue();
        assertThat(DEVICE_METHODS).as(command).contains(m.group(2));
        try {
            JsonNode body = Json.MAPPER.readTree(m.group(1));
            assertThat(body.isObject()).as(command).isTrue();
        } catch (IOException e) {
            throw new AssertionError("the body of " + command + " is not JSON: " + e.getMessage(), e);
        }
        if (m.group(1).contains("GATEWAY")) {
            assertThat(m.group(1)).as(command).containsPattern("(ws|http)://GATEWAY:8080/(ws/shelly|webhook/)");
        }
    }

    /** The fenced {@code sh} blocks' lines that start with {@code curl}. */
    private static List<String> readmeCurlCommands() throws IOException {
        List<String> out = new ArrayList<>();
        boolean inSh = false;
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (line.startsWith("```")) {
                inSh = !inSh && line.equals("```sh");
                continue;
            }
            if (inSh && line.startsWith("curl ")) {
                out.add(line.replaceFirst("\\s+#[^'\"]*$", ""));
            }
        }
        return out;
    }

    /**
     * Runs the command through {@code bash -c} from the repository root, as a user would, until it exits 0
     * with a 2xx (the pipeline is asynchronous: a device's state appears a moment after its reading).
     */
    private static String runUntil2xx(String command, boolean stream) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last;
        while (true) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true);
            // The README's writes send the admin token the banner printed as $TOKEN.
            pb.environment().put("TOKEN", stack.adminToken());
            Process p = pb.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(command).isTrue();
            int exit = p.exitValue();
            String code = out.length() >= 3 ? out.substring(out.length() - 3) : out;
            last = "exit " + exit + ": " + out;
            if ((exit == 0 || stream && exit == 28) && code.startsWith("2")) {
                return code;
            }
            if (System.nanoTime() > deadline) {
                return last;
            }
            Thread.sleep(500); // the next try of a command that a moment may fix, not a synchronisation
        }
    }

    // ---- one origin ----

    @Test
    @Order(2)
    void theOneOriginServesWebhookApiLiveFeedAndDashboardTogether() throws Exception {
        String origin = stack.originUrl();
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> feed = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(origin + "/api/stream?device=origin-1"))
                .build(), HttpResponse.BodyHandlers.ofInputStream()).thenAcceptAsync(r -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            events.add(line);
                        }
                    } catch (IOException e) {
                        // the stream is cut at the end of the test
                    }
                }, READERS);
        // The query API's first line on a new feed is the comment ":connected".
        await("the live feed through the origin", () -> events.stream().anyMatch(l -> l.matches(":\\s?connected")));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> stored = post(origin + "/webhook/origin-1",
                    "{\"power\":" + (100 + i) + ",\"voltage\":230,\"current\":0.5,\"energy\":" + (10 + i) + "}");
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(stored.body()).get("status").asText()).isEqualTo("success");
        }
        await("the readings in the API through the origin", () -> get(origin + "/api/measurements/latest/?device=origin-1")
                .body().contains("\"power\":102"));
        await("a reading event on the live feed through the origin", () -> events.stream()
                .anyMatch(l -> l.startsWith("data:") && l.contains("origin-1")));
        feed.cancel(true);
        JsonNode page = Json.MAPPER.readTree(get(origin + "/api/measurements/?device=origin-1&page_size=1").body());
        assertThat(page.get("next").asText()).as("links name the origin")
                .startsWith(origin + "/api/measurements/?");
        HttpResponse<String> dashboard = get(origin + "/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(get(origin + "/openapi").body()).startsWith("openapi: 3.");
    }

    @Test
    @Order(3)
    void aClientOfThePrototypeReadsDjangosDetailBesideTheError() throws Exception {
        String origin = stack.originUrl();
        JsonNode pastTheEnd = Json.MAPPER.readTree(get(origin + "/api/measurements/?page=100000").body());
        assertThat(pastTheEnd.get("detail").asText()).isEqualTo("Invalid page.");
        assertThat(pastTheEnd.get("error").asText()).contains("past the end");
        HttpResponse<String> bad = post(origin + "/webhook/", "{\"power\":1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(bad.body());
        assertThat(error.get("detail").asText()).isEqualTo(error.get("error").asText()).contains("voltage");
        HttpResponse<String> method = send("DELETE", origin + "/api/measurements/latest/", null);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(Json.MAPPER.readTree(method.body()).get("detail").asText()).isEqualTo("Method \"DELETE\" not allowed.");
        // not a route of the prototype: no detail
        assertThat(Json.MAPPER.readTree(get(origin + "/api/alerts/?limit=0").body()).has("detail")).isFalse();
    }

    // ---- OpenAPI ----

    @Test
    @Order(4)
    void theOpenApiDocumentsValidateAndDescribeTheRealAnswers() throws Exception {
        String gatewayDoc = get(stack.gatewayUrl() + "/openapi").body();
        String queryDoc = get(stack.queryUrl() + "/openapi").body();
        for (String doc : List.of(gatewayDoc, queryDoc)) {
            ParseOptions strict = new ParseOptions();
            strict.setResolve(true);
            SwaggerParseResult parsed = new OpenAPIParser().readContents(doc, null, strict);
            assertThat(parsed.getMessages()).as("validator messages").isEmpty();
            OpenAPI api = parsed.getOpenAPI();
            assertThat(doc).as("a description cut by an unquoted comma reads as an empty key")
                    .doesNotContainPattern(":\\s*\\{[^}\\n]*description: [^'\"{}\\n]*, [^'\"{}\\n]*}");
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                assertThat(op.getOperationId()).as(method + " " + path).isNotBlank();
                assertThat(op.getResponses().keySet()).as(method + " " + path).anyMatch(k -> k.startsWith("2"));
            }));
            assertThat(errorResponses(api)).as("operations that document their errors").isGreaterThan(5);
        }
        String device = "contract-1";
        String gw = stack.gatewayUrl();
        check(gatewayDoc, "POST", gw + "/webhook/", "{\"power\":5,\"voltage\":230,\"current\":0.1,\"energy\":1,\"device_id\":\"" + device + "\"}");
        check(gatewayDoc, "POST", gw + "/webhook/" + device, "[{\"power\":6,\"voltage\":230,\"current\":0.1,\"energy\":2}]");
        check(gatewayDoc, "GET", gw + "/webhook/?device=" + device + "&power=7&voltage=230&current=0.1&energy=3", null);
        check(gatewayDoc, "POST", gw + "/webhook/", "{\"power\":\"high\"}");
        check(gatewayDoc, "GET", gw + "/openapi", null);
        check(gatewayDoc, "GET", gw + "/observe/health", null);
        check(gatewayDoc, "GET", gw + "/observe/metrics", null);
        String q = stack.queryUrl();
        await("the readings stored", () -> get(q + "/api/measurements/latest/?device=" + device).body().contains("\"power\":7"));
        check(queryDoc, "GET", q + "/api/measurements/?device=" + device + "&page_size=2", null);
        check(queryDoc, "GET", q + "/api/measurements/?page=100000", null);
        check(queryDoc, "GET", q + "/api/measurements/?start=yesterday", null);
        check(queryDoc, "GET", q + "/api/measurements/latest/?limit=3", null);
        check(queryDoc, "GET", q + "/api/measurements.csv?device=" + device, null);
        check(queryDoc, "GET", q + "/api/aggregates/?window=1m&device=" + device, null);
        Instant now = Instant.now();
        check(queryDoc, "GET", q + "/api/aggregates/?device=" + device + "&start=" + now.minus(Duration.ofDays(30)), null);
        check(queryDoc, "GET", q + "/api/measurements/?start=" + now.minus(Duration.ofDays(200)), null); // 410
        check(queryDoc, "GET", q + "/api/alerts/?state=all", null);
        check(queryDoc, "GET", q + "/api/devices/", null);
        check(queryDoc, "GET", q + "/api/devices/" + device, null);
        check(queryDoc, "GET", q + "/api/devices/never-seen-1", null);
        check(queryDoc, "PUT", q + "/api/devices/" + device, "{\"name\":\"Bay 1\",\"site\":\"Depot\",\"threshold_w\":7400}");
        check(queryDoc, "PUT", q + "/api/devices/" + device, "{\"treshold_w\":7400}");
        checkAs(null, queryDoc, "PUT", q + "/api/devices/" + device, "{\"name\":\"Bay 1\"}");
        check(queryDoc, "POST", q + "/api/alerts/"
                + new AlertKey(device, Alert.Kind.POWER_OVER_THRESHOLD, Instant.parse("2026-11-20T09:00:00Z"), "").id() + "/ack", "{\"note\":\"x\"}");
        check(queryDoc, "POST", q + "/api/alerts/not-an-alert-id/ack", null);
        checkAs(null, queryDoc, "POST", q + "/api/alerts/not-an-alert-id/ack", null);
        check(queryDoc, "GET", q + "/api/notifications/?limit=5", null);
        check(queryDoc, "GET", q + "/api/notifications/?outcome=LOST", null);
        check(queryDoc, "PUT", q + "/api/notifications/channels/contract-hook",
                "{\"type\":\"WEBHOOK\",\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"0123456789abcdef-contract\"}");
        check(queryDoc, "PUT", q + "/api/notifications/channels/contract-bad", "{\"type\":\"PIGEON\"}");
        check(queryDoc, "GET", q + "/api/notifications/channels/", null);
        check(queryDoc, "GET", q + "/api/notifications/channels/contract-hook", null);
        check(queryDoc, "PUT", q + "/api/notifications/routes/contract-route", "{\"channels\":[\"contract-hook\"],\"repeat_every\":\"30m\"}");
        check(queryDoc, "GET", q + "/api/notifications/routes/", null);
        check(queryDoc, "DELETE", q + "/api/notifications/channels/contract-hook", null);
        check(queryDoc, "DELETE", q + "/api/notifications/routes/contract-route", null);
        check(queryDoc, "DELETE", q + "/api/notifications/channels/contract-hook", null);
        check(queryDoc, "GET", q + "/api/notifications/routes/contract-route", null);
        check(queryDoc, "GET", q + "/api/config", null);
        checkSessionsTariffsAndDays(queryDoc, gw, q);
        check(queryDoc, "GET", q + "/openapi", null);
        check(queryDoc, "GET", q + "/observe/health", null);
        check(queryDoc, "GET", q + "/observe/metrics", null);
    }

    /** A meter of its own site and tariff charges until its session is stored; every new route answers as documented. */
    private static void checkSessionsTariffsAndDays(String queryDoc, String gw, String q) throws Exception {
        String meter = "contract-ev-1";
        String tariff = "{\"site\":\"Contract depot\",\"currency\":\"EUR\",\"time_zone\":\"Europe/Berlin\",\"valid_from\":\"2026-01-01\","
                + "\"zones\":[{\"name\":\"flat\",\"price_per_kwh\":0.3}]}";
        check(queryDoc, "PUT", q + "/api/tariffs/contract-flat", tariff);
        check(queryDoc, "PUT", q + "/api/tariffs/contract-gapped", tariff.replace("Contract depot", "Gap depot")
                .replace("{\"name\":\"flat\",", "{\"name\":\"day\",\"from\":\"06:00\","));
        check(queryDoc, "GET", q + "/api/tariffs/", null);
        check(queryDoc, "GET", q + "/api/tariffs/contract-flat", null);
        check(queryDoc, "GET", q + "/api/tariffs/never-set", null);
        check(queryDoc, "PUT", q + "/api/devices/" + meter, "{\"site\":\"Contract depot\",\"session_start_after_s\":0}");
        int[] energy = {100};
        await("a session of " + meter + " stored", () -> {
            energy[0] += 20;
            try {
                post(gw + "/webhook/" + meter, "{\"power\":3600,\"voltage\":230,\"current\":15.7,\"energy\":" + energy[0] + "}");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return get(q + "/api/sessions/?device=" + meter).body().contains("\"cost\"");
        });
        check(queryDoc, "GET", q + "/api/sessions/?device=" + meter + "&state=open&page_size=5", null);
        check(queryDoc, "GET", q + "/api/sessions/?start=yesterday", null);
        check(queryDoc, "GET", q + "/api/sessions/?page=1000", null);
        String id = Json.MAPPER.readTree(get(q + "/api/sessions/?device=" + meter).body()).at("/results/0/session_id").asText();
        check(queryDoc, "GET", q + "/api/sessions/" + id, null);
        check(queryDoc, "GET", q + "/api/sessions/00000000-0000-0000-0000-000000000000", null);
        check(queryDoc, "GET", q + "/api/sessions/live?site=Contract%20depot", null);
        check(queryDoc, "GET", q + "/api/sessions.csv?device=" + meter, null);
        check(queryDoc, "GET", q + "/api/energy/daily?device=" + meter, null);
        check(queryDoc, "GET", q + "/api/energy/daily?site=Contract%20depot&group=site", null);
        check(queryDoc, "GET", q + "/api/energy/daily?start=2026-13-01", null);
        check(queryDoc, "DELETE", q + "/api/tariffs/contract-flat", null);
        check(queryDoc, "DELETE", q + "/api/tariffs/contract-flat", null);
    }

    private static long errorResponses(OpenAPI api) {
        return api.getPaths().values().stream().flatMap(i -> i.readOperations().stream())
                .map(Operation::getResponses).filter(r -> r.keySet().stream().anyMatch(k -> k.matches("[45]\\d\\d"))).count();
    }

    /** Sends the request and checks it and the real answer (status, content type, body) against the document. */
    private static void check(String document, String method, String url, String json) throws Exception {
        checkAs(stack.adminToken(), document, method, url, json);
    }

    /** {@link #check} with {@code token} as the bearer token (null: none). */
    private static void checkAs(String token, String document, String method, String url, String json) throws Exception {
        HttpResponse<String> answer = send(method, url, json, token);
        URI uri = URI.create(url);
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getPath());
        if (uri.getRawQuery() != null) {
            Map<String, List<String>> params = new LinkedHashMap<>();
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                params.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            params.forEach(request::withQueryParam);
        }
        if (json != null) {
            request.withContentType("application/json").withBody(json);
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.statusCode()).withBody(answer.body());
        answer.headers().firstValue("content-type").ifPresent(response::withContentType);
        // A request that is wrong on purpose fails the request schema by design: only its answer is checked.
        ValidationReport report = answer.statusCode() >= 400 && answer.statusCode() < 500
                ? validator(document).validateResponse(uri.getPath(), Request.Method.valueOf(method), response.build())
                : validator(document).validate(request.build(), response.build());
        assertThat(report.getMessages()).as(method + " " + url + " -> " + answer.statusCode() + " " + abbreviate(answer.body()))
                .filteredOn(m -> m.getLevel() == ValidationReport.Level.ERROR).isEmpty();
    }

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new java.util.concurrent.ConcurrentHashMap<>();

    private static OpenApiInteractionValidator validator(String document) {
        return VALIDATORS.computeIfAbsent(document, d -> OpenApiInteractionValidator.createForInlineApiSpecification(d).build());
    }

    // ---- HTTP semantics on every service, and metrics ----

    @Test
    @Order(5)
    void everyServiceAnswersHeadOptionsAnd405ByRfc9110() throws Exception {
        Map<String, String> allowed = Map.of(
                stack.gatewayUrl() + "/webhook/", "GET, HEAD, POST, OPTIONS",
                stack.queryUrl() + "/api/devices/contract-1", "GET, HEAD, PUT, OPTIONS",
                stack.queryUrl() + "/api/measurements/latest/", "GET, HEAD, OPTIONS",
                stack.stateUrl() + "/state/rules", "GET, HEAD, OPTIONS",
                stack.queryUrl() + "/observe/health", "GET, HEAD, OPTIONS");
        for (Map.Entry<String, String> e : allowed.entrySet()) {
            HttpResponse<String> delete = send("DELETE", e.getKey(), null);
            assertThat(delete.statusCode()).as("DELETE " + e.getKey()).isEqualTo(405);
            assertThat(delete.headers().firstValue("allow")).as(e.getKey()).hasValue(e.getValue());
            HttpResponse<String> options = send("OPTIONS", e.getKey(), null);
            assertThat(options.statusCode()).isEqualTo(204);
            assertThat(options.headers().firstValue("allow")).as(e.getKey()).hasValue(e.getValue());
        }
        for (String url : List.of(stack.queryUrl() + "/api/measurements/latest/", stack.stateUrl() + "/state/rules",
                stack.queryUrl() + "/api/devices/", stack.gatewayUrl() + "/observe/health", stack.queryUrl() + "/")) {
            HttpResponse<String> get = get(url);
            HttpResponse<String> head = send("HEAD", url, null);
            assertThat(head.statusCode()).as("HEAD " + url).isEqualTo(get.statusCode());
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("content-type")).isEqualTo(get.headers().firstValue("content-type"));
        }
        HttpResponse<String> file = get(stack.queryUrl() + "/js/main.js");
        String etag = file.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> revalidated = HTTP.send(HttpRequest.newBuilder(URI.create(stack.queryUrl() + "/js/main.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
        assertThat(revalidated.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(revalidated.headers().firstValue("content-type")).isEmpty();
        HttpResponse<byte[]> zipped = HTTP.send(HttpRequest.newBuilder(URI.create(stack.queryUrl() + "/js/main.js"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
    }

    @Test
    @Order(6)
    void eachServiceExposesOnlyItsOwnSeriesInValidPrometheusText() throws Exception {
        String gateway = get(stack.gatewayUrl() + "/observe/metrics").body();
        String query = get(stack.queryUrl() + "/observe/metrics").body();
        PrometheusText.assertValid(gateway);
        PrometheusText.assertValid(query);
        List<String> gatewaySeries = PrometheusText.series(gateway);
        List<String> querySeries = PrometheusText.series(query);
        assertThat(gatewaySeries).doesNotHaveDuplicates().anyMatch(s -> s.startsWith("gateway_requests_accepted_total"))
                .noneMatch(s -> s.startsWith("query_"));
        assertThat(querySeries).doesNotHaveDuplicates().anyMatch(s -> s.startsWith("query_stream_clients"))
                .noneMatch(s -> s.startsWith("gateway_"));
        // what both show is the JVM's, nothing else
        assertThat(gatewaySeries.stream().filter(querySeries::contains))
                .isNotEmpty().allMatch(s -> !s.startsWith("gateway_") && !s.startsWith("query_"));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String port(String url) {
        Matcher m = Pattern.compile(":(\\d+)$").matcher(url.replaceAll("/$", ""));
        assertThat(m.find()).as(url).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> get(String url) {
        try {
            return send("GET", url, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return send("POST", url, json);
    }

    /** A request with the admin token for a write. */
    private static HttpResponse<String> send(String method, String url, String json) throws IOException, InterruptedException {
        boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        return send(method, url, json, read ? null : stack.adminToken());
    }

    private static HttpResponse<String> send(String method, String url, String json, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
