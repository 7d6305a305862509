package io.wattstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.RawReading.Source;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.wattstream.gateway.readings.WebhookParserTest;

/**
 * The gateway over real HTTP against a real (embedded) broker. The broker outage test runs last
 * because it stops and restarts the broker everyone else uses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {

    private static final String TOPIC = "it.readings.raw";
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String DEVICE = "shellypro1pm-a8032ab1c2d3";

    private static EmbeddedKafka kafka;
    private static GatewayApp gateway;
    private static GatewayApp securedGateway;
    private static RawTopic raw;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createTopics(EmbeddedKafka.pipelineTopics(TOPIC, 3));
        gateway = GatewayApp.start(config(Map.of()));
        securedGateway = GatewayApp.start(config(Map.of("app.tokens", "meter-1:s3cret,shelly:pro:2:tok2")));
        raw = new RawTopic(kafka.bootstrapServers(), TOPIC);
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        for (GatewayApp g : new GatewayApp[] {gateway, securedGateway}) {
            if (g != null) {
                g.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Config config(Map<String, String> extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "app.kafka.bootstrap", kafka.bootstrapServers(),
                "app.raw-topic", TOPIC,
                "app.publish-timeout", "2s",
                "app.retry-after", "3s"));
        m.putAll(extra);
        return Config.just(ConfigSources.create(m));
    }

    // ---- every shape lands exactly once, keyed by device, with the values sent ----

    record Shape(String method, String target, String contentType, byte[] body, Source source, String device, int count) {
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                shape("flat POST", new Shape("POST", "/webhook/", JSON, sample("flat-post.json"), Source.FLAT_POST, "default", 1)),
                shape("flat POST on /webhook", new Shape("POST", "/webhook", JSON, sample("flat-post.json"), Source.FLAT_POST, "default", 1)),
                shape("flat GET", new Shape("GET", requestLine("flat-get.txt"), null, null, Source.FLAT_GET, "default", 1)),
                shape("flat POST with device and timestamp", new Shape("POST", "/webhook/", JSON,
                        sample("flat-post-device.json"), Source.FLAT_POST, DEVICE, 1)),
                shape("form POST to /webhook/{device_id}", new Shape("POST", "/webhook/plug-7", FORM,
                        "power=12.5&voltage=231&current=0.05&energy=7".getBytes(StandardCharsets.UTF_8), Source.FLAT_FORM, "plug-7", 1)),
                shape("Shelly action URL", new Shape("GET", requestLine("shelly-action-url.txt"), null, null, Source.SHELLY_ACTION, DEVICE, 1)),
                shape("switch:0 status", new Shape("POST", "/webhook/", JSON, sample("switch-status-post.json"), Source.SWITCH_STATUS, DEVICE, 1)),
                shape("NotifyStatus", new Shape("POST", "/webhook/" + DEVICE, JSON, sample("notify-status.json"), Source.NOTIFY_STATUS, DEVICE, 1)),
                shape("NotifyFullStatus", new Shape("POST", "/webhook/", JSON, sample("notify-full-status.json"),
                        Source.NOTIFY_FULL_STATUS, DEVICE, 1)),
                shape("batch of flat readings", new Shape("POST", "/webhook/meter-9", JSON, ("[{\"power\": \"1.5\", \"voltage\": 230, \"current\": 0.1, \"energy\": 5},"
                        + "{\"power\": 2, \"voltage\": 231, \"current\": 0.2, \"energy\": 6, \"ts\": 1763629260.25}]").getBytes(StandardCharsets.UTF_8),
                        Source.FLAT_BATCH, "meter-9", 2)));
    }

    private static Arguments shape(String name, Shape s) {
        return Arguments.of(Named.of(name, s));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void eachShapeLandsOnTheRawTopicExactlyOnce(Shape shape) throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        HttpResponse<String> res = send(gateway, shape.method(), shape.target(), shape.contentType(), shape.body());

        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode answer = Json.MAPPER.readTree(res.body());
        assertThat(answer.get("status").asText()).isEqualTo("success");
        JsonNode data = answer.get("data");
        List<JsonNode> answered = new ArrayList<>();
        if (data.isArray()) {
            data.forEach(answered::add);
        } else {
            answered.add(data);
        }

        List<ConsumerRecord<String, RawReading>> landed = raw.since(before);
        assertThat(landed).as("exactly the request's readings, once").hasSize(shape.count());
        assertThat(raw.total(raw.endOffsets()) - raw.total(before)).isEqualTo(shape.count());
        landed.sort(java.util.Comparator.comparing(r -> r.value().receivedAt()));
        for (int i = 0; i < landed.size(); i++) {
            ConsumerRecord<String, RawReading> record = landed.get(i);
            RawReading value = record.value();
            assertThat(record.key()).isEqualTo(shape.device());
            assertThat(value.deviceId()).isEqualTo(shape.device());
            assertThat(value.source()).isEqualTo(shape.source());
            assertThat(value.receivedAt()).isNotNull();
            // The answer shows exactly what was stored.
            assertThat(value).isEqualTo(Json.MAPPER.treeToValue(answered.get(i), RawReading.class));
        }
        // The prototype's fields are in the message, as JSON.
        if (shape.source() != Source.NOTIFY_STATUS) {
            JsonNode stored = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(landed.get(0).value()));
            assertThat(stored.has("power") && stored.has("voltage") && stored.has("current") && stored.has("energy")
                    && stored.has("timestamp")).as(stored.toString()).isTrue();
        }
    }

    @Order(2)
    @Test
    void storesTheSampleValuesAndDeviceTime() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        assertThat(send(gateway, "POST", "/webhook/", JSON, sample("switch-status-post.json")).statusCode()).isEqualTo(200);
        RawReading r = raw.since(before).get(0).value();
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy(), r.freq(), r.pf(), r.temperatureC()))
                .containsExactly(3598.2, 229.8, 15.66, 152401.113, 50.0, 0.99, 47.9);
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2025-11-20T09:01:00.410Z"));
        assertThat(r.deviceTime()).isTrue();
    }

    /** A Shelly's HTTPS webhook: the gateway on a keystore with a self-signed certificate made here with keytool. */
    @Order(2)
    @Test
    void servesTheWebhookOverHttpsFromAConfiguredKeystore(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("gateway.p12");
        String password = "test-only-" + System.nanoTime();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolOut).isZero();
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            trusted.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

        try (GatewayApp tls = GatewayApp.start(config(Map.of("app.tls.keystore", keystore.toString(),
                "app.tls.keystore-password", password)))) {
            Map<TopicPartition, Long> before = raw.endOffsets();
            HttpResponse<String> answer = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls.port() + "/webhook/"))
                    .header("Content-Type", JSON).POST(BodyPublishers.ofByteArray(sample("switch-status-post.json"))).build(),
                    BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(raw.since(before)).extracting(r -> r.value().source()).containsExactly(Source.SWITCH_STATUS);
            // Plain HTTP on the HTTPS port gets no answer, and a client that does not trust the certificate none either.
            assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tls.port() + "/webhook/"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), BodyHandlers.ofString())).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                    + tls.port() + "/observe/health")).timeout(Duration.ofSeconds(5)).GET().build(), BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void refusesToStartWithAKeystoreItCannotOpen(@TempDir Path dir) throws Exception {
        Path notAKeystore = Files.writeString(dir.resolve("gateway.p12"), "not a keystore");
        assertThatThrownBy(() -> GatewaySettings.from(config(Map.of("app.tls.keystore", notAKeystore.toString(),
                "app.tls.keystore-password", "some-password-x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GATEWAY_TLS_KEYSTORE")
                .hasMessageNotContaining("some-password-x");
    }

    @Order(3)
    @Test
    void givesConcurrentReadingsOfOneDeviceDistinctIdentities() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        int requests = 200;
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                codes.add(pool.submit(() -> send(gateway, "GET", "/webhook/busy?power=1&voltage=230&current=0.1&energy=5",
                        null, null).statusCode()));
            }
            for (Future<Integer> c : codes) {
                assertThat(c.get()).isEqualTo(200);
            }
        }
        List<ConsumerRecord<String, RawReading>> landed = raw.since(before);
        assertThat(landed).hasSize(requests);
        Set<Instant> identities = new HashSet<>();
        landed.forEach(r -> identities.add(r.value().timestamp()));
        assertThat(identities).as("(device_id, timestamp) unique without device time").hasSize(requests);
    }

    // ---- rejected requests: the right status, a JSON error naming the field, nothing published ----

    record Bad(String method, String target, String contentType, byte[] body, int status, String inError) {
    }

    static Stream<Arguments> badRequests() {
        byte[] big = ("{\"power\": 1, \"voltage\": 230, \"current\": 1, \"energy\": 5, \"pad\": \"" + "x".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                bad("missing field", new Bad("POST", "/webhook/", JSON, sample("bad-missing-fields.txt"), 400, "'current'")),
                bad("NaN in query", new Bad("GET", requestLine("bad-nan-query.txt"), null, null, 400, "'power'")),
                bad("non-numeric", new Bad("POST", "/webhook/", JSON, sample("bad-non-numeric.txt"), 400, "'power'")),
                bad("not an object", new Bad("POST", "/webhook/", JSON, sample("bad-not-an-object.txt"), 400, "element [0]")),
                bad("truncated JSON", new Bad("POST", "/webhook/", JSON, sample("bad-truncated-json.txt"), 400, "malformed JSON")),
                bad("unsubstituted Shelly token", new Bad("GET", requestLine("shelly-action-unsubstituted.txt"), null, null, 400, "'apower'")),
                bad("out of bounds", new Bad("GET", "/webhook/?power=1&voltage=5000&current=1&energy=1", null, null, 400, "'voltage'")),
                bad("bad device id in path", new Bad("GET", "/webhook/bad%20id?power=1&voltage=1&current=1&energy=1", null, null, 400, "the path")),
                bad("bad timestamp", new Bad("POST", "/webhook/", JSON,
                        "{\"power\":1,\"voltage\":1,\"current\":1,\"energy\":1,\"timestamp\":\"noon\"}".getBytes(StandardCharsets.UTF_8), 400, "'timestamp'")),
                bad("half-bad batch", new Bad("POST", "/webhook/", JSON, ("[{\"power\":1,\"voltage\":1,\"current\":1,\"energy\":1},"
                        + "{\"power\":1,\"voltage\":1,\"current\":1}]").getBytes(StandardCharsets.UTF_8), 400, "element [1]")),
                bad("text/plain", new Bad("POST", "/webhook/", "text/plain", sample("flat-post.json"), 415, "text/plain")),
                bad("PUT", new Bad("PUT", "/webhook/", JSON, sample("flat-post.json"), 405, "PUT")),
                bad("DELETE with device", new Bad("DELETE", "/webhook/x", null, null, 405, "DELETE")),
                bad("body over 64 KiB", new Bad("POST", "/webhook/", JSON, big, 413, "larger than")),
                bad("chunked body over 64 KiB", new Bad("POST", "/webhook/", JSON + ";chunked", big, 413, "larger than")));
    }

    private static Arguments bad(String name, Bad b) {
        return Arguments.of(Named.of(name, b));
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rejectsBadRequestsWithAJsonErrorAndPublishesNothing(Bad bad) throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        HttpResponse<String> res = send(gateway, bad.method(), bad.target(), bad.contentType(), bad.body());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(bad.status());
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith(JSON));
        JsonNode error = Json.MAPPER.readTree(res.body());
        assertThat(error.get("error").asText()).contains(bad.inError());
        if (bad.status() == 405) {
            assertThat(res.headers().firstValue("allow")).hasValue("GET, HEAD, POST, OPTIONS");
        }
        assertThat(raw.endOffsets()).as("nothing published").isEqualTo(before);
    }

    // ---- device tokens ----

    @Order(5)
    @Test
    void enforcesDeviceTokensWhenConfigured() throws Exception {
        String reading = "power=1&voltage=230&current=0.1&energy=5";
        Map<TopicPartition, Long> before = raw.endOffsets();

        HttpResponse<String> none = send(securedGateway, "GET", "/webhook/meter-1?" + reading, null, null);
        HttpResponse<String> wrong = send(securedGateway, "GET", "/webhook/meter-1?token=nope&" + reading, null, null);
        HttpResponse<String> unknown = send(securedGateway, "GET", "/webhook/ghost?token=s3cret&" + reading, null, null);
        HttpResponse<String> otherDevices = send(securedGateway, "GET", "/webhook/shelly:pro:2?token=s3cret&" + reading, null, null);
        for (HttpResponse<String> r : List.of(none, wrong, unknown, otherDevices)) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer");
        }
        assertThat(new HashSet<>(List.of(none.body(), wrong.body(), unknown.body(), otherDevices.body())))
                .as("an unknown device and a wrong token read the same").hasSize(1);
        assertThat(raw.endOffsets()).as("nothing published without a valid token").isEqualTo(before);

        assertThat(send(securedGateway, "GET", "/webhook/meter-1?token=s3cret&" + reading, null, null).statusCode()).isEqualTo(200);
        HttpRequest bearer = HttpRequest.newBuilder(uri(securedGateway, "/webhook/shelly:pro:2"))
                .header("Authorization", "Bearer tok2").header("Content-Type", JSON)
                .POST(BodyPublishers.ofByteArray(sample("flat-post.json"))).build();
        assertThat(HTTP.send(bearer, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(raw.since(before)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("meter-1", "shelly:pro:2");
    }

    // ---- observability ----

    @Order(6)
    @Test
    void reportsReadinessAndPrometheusMetrics() throws Exception {
        HttpResponse<String> health = send(gateway, "GET", "/observe/health", null, null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("kafka");

        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(uri(gateway, "/observe/metrics"))
                .header("Accept", "text/plain").GET().build(), BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("gateway_readings_accepted_total")
                .contains("gateway_requests_rejected_total{")
                .contains("reason=\"missing_field\"")
                .contains("gateway_publish_latency_seconds");
    }

    // ---- broker outage: 503 with Retry-After, nothing claimed, recovery without help ----

    @Order(100)
    @Test
    void answers503WhileKafkaIsDownAndRecoversWhenItIsBack() throws Exception {
        send(gateway, "GET", "/webhook/warm?power=1&voltage=230&current=0.1&energy=5", null, null);
        Map<TopicPartition, Long> before = raw.endOffsets();
        kafka.stop();
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> down = send(gateway, "GET", "/webhook/during-outage?power=1&voltage=230&current=0.1&energy=5", null, null);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.headers().firstValue("retry-after")).hasValue("3");
            assertThat(Json.MAPPER.readTree(down.body()).get("error").asText()).contains("retry later");
            assertThat(took).as("bounded by the 2 s publish timeout, with slack for a busy machine").isLessThan(Duration.ofSeconds(6));

            HttpResponse<String> health = send(gateway, "GET", "/observe/health", null, null);
            assertThat(health.statusCode()).as("not ready without Kafka").isEqualTo(503);
        } finally {
            kafka.start();
        }

        HttpResponse<String> back = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            back = send(gateway, "GET", "/webhook/after-outage?power=1&voltage=230&current=0.1&energy=5", null, null);
            if (back.statusCode() == 200) {
                break;
            }
            assertThat(back.statusCode()).isEqualTo(503);
        }
        assertThat(back.statusCode()).as("recovers by itself").isEqualTo(200);

        List<ConsumerRecord<String, RawReading>> landed = raw.since(before);
        assertThat(landed).extracting(ConsumerRecord::key)
                .as("what was answered 503 was not stored; what was answered 200 was, once")
                .doesNotContain("during-outage")
                .containsOnlyOnce("after-outage");
    }

    // ---- helpers ----

    private static HttpResponse<String> send(GatewayApp server, String method, String target, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(server, target)).timeout(Duration.ofSeconds(20));
        boolean chunked = contentType != null && contentType.endsWith(";chunked");
        if (contentType != null) {
            b.header("Content-Type", chunked ? contentType.substring(0, contentType.length() - ";chunked".length()) : contentType);
        }
        HttpRequest.BodyPublisher publisher = body == null ? BodyPublishers.noBody()
                : chunked ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : BodyPublishers.ofByteArray(body);
        return HTTP.send(b.method(method, publisher).build(), BodyHandlers.ofString());
    }

    private static URI uri(GatewayApp server, String target) {
        return URI.create("http://127.0.0.1:" + server.port() + target);
    }

    private static byte[] sample(String name) {
        return WebhookParserTest.sample(name);
    }

    private static String requestLine(String name) {
        return new String(sample(name), StandardCharsets.UTF_8).trim();
    }
}
