package io.wattstream.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.config.Config;
import io.helidon.common.tls.Tls;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.RawReading.Source;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
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
import io.wattstream.gateway.DeviceTokens;
import io.wattstream.gateway.GatewayApp;
import io.wattstream.gateway.GatewayMetrics;
import io.wattstream.gateway.GatewaySettings;
import io.wattstream.gateway.MonotonicClock;
import io.wattstream.gateway.RawTopic;
import io.wattstream.gateway.ReadingPublisher;
import io.wattstream.gateway.readings.WebhookParser;
import io.wattstream.gateway.readings.WebhookParserTest;
import io.wattstream.gateway.readings.WebhookRequest;

/**
 * The outbound WebSocket over real connections (the JDK's WebSocket client as the device, a raw
 * socket where the device must misbehave) against a real (embedded) broker. Three gateways share the
 * broker: one as deployed, one with device tokens, one with tight bounds. The broker outage runs
 * last: it stops the broker everyone else uses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShellyWsIT {

    private static final String TOPIC = "it.ws.readings.raw";
    private static final String DEVICE = "shellypro1pm-a8032ab1c2d3";
    private static final String POLLED = "shellypro2pm-polled";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedKafka kafka;
    private static GatewayApp gateway;
    private static GatewayApp secured;
    private static GatewayApp tight;
    private static RawTopic raw;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createTopics(EmbeddedKafka.pipelineTopics(TOPIC, 3));
        gateway = GatewayApp.start(config(Map.of()));
        secured = GatewayApp.start(config(Map.of("app.tokens", DEVICE + ":s3cret,shellypro4pm-c8f09e8a1b2c:tok4")));
        tight = GatewayApp.start(config(Map.of(
                "app.ws.ping-interval", "200ms",
                "app.ws.idle-timeout", "1s",
                "app.ws.max-frame-bytes", "4096",
                "app.ws.max-frames-per-second", "5",
                "app.ws.status-poll", POLLED + "=1s")));
        raw = new RawTopic(kafka.bootstrapServers(), TOPIC);
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        for (GatewayApp s : new GatewayApp[] {gateway, secured, tight}) {
            if (s != null) {
                s.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static Config config(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "app.kafka.bootstrap", kafka.bootstrapServers(),
                "app.raw-topic", TOPIC,
                "app.publish-timeout", "2s"));
        m.putAll(extra);
        return Config.just(ConfigSources.create(m));
    }

    // ---- readings ----

    @Order(1)
    @Test
    void publishesTheFullStatusThenEachPartialAsTheWebhookDoes() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(gateway, ""))) {
            device.send(sample("notify-full-status.json")).send(sample("notify-status.json"));
            awaitAdded(before, 2);
        }
        List<ConsumerRecord<String, RawReading>> landed = byReceipt(raw.since(before));
        assertThat(landed).extracting(ConsumerRecord::key).containsOnly(DEVICE);
        RawReading full = landed.get(0).value();
        RawReading partial = landed.get(1).value();
        assertThat(full.source()).isEqualTo(Source.NOTIFY_FULL_STATUS);
        assertThat(List.of(full.power(), full.voltage(), full.current(), full.energy(), full.temperatureC()))
                .containsExactly(3590.0, 230.2, 15.61, 152341.0, 47.5);
        assertThat(full.timestamp()).as("the frame's params.ts").isEqualTo(Instant.parse("2025-11-20T09:00:00.020Z"));
        assertThat(partial.source()).isEqualTo(Source.NOTIFY_STATUS);
        assertThat(partial.partial()).isTrue();
        assertThat(List.of(partial.power(), partial.current())).containsExactly(3604.9, 15.69);
        assertThat(partial.voltage()).as("a partial carries only what changed").isNull();
        // The webhook reads the same frame into the same reading, but for its receive time.
        RawReading viaWebhook = new WebhookParser().parse(WebhookRequest.post("application/json",
                WebhookParserTest.sample("notify-full-status.json")), new MonotonicClock()).get(0);
        assertThat(viaWebhook.toBuilder().receivedAt(full.receivedAt()).build()).isEqualTo(full);
    }

    @Order(2)
    @Test
    void givesEachChannelOfAFourChannelMeterItsOwnReading() throws Exception {
        Map<TopicPartition, Long> before = deliver(DeviceSocket.connect(url(gateway, "")), sample("notify-full-status-pro4pm.json"), 4);
        assertThat(raw.since(before)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("shellypro4pm-c8f09e8a1b2c",
                "shellypro4pm-c8f09e8a1b2c:1", "shellypro4pm-c8f09e8a1b2c:2", "shellypro4pm-c8f09e8a1b2c:3");
    }

    @Order(3)
    @Test
    void takesEventsAndStatusOfOtherComponentsWithoutAnErrorOrAReading() throws Exception {
        double ignoredBefore = metric(gateway, "gateway_ws_frames_ignored_total", "");
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(gateway, ""))) {
            device.send(frame("NotifyEvent", "{\"ts\":1763629262.5,\"events\":[{\"component\":\"input:0\",\"id\":0,"
                            + "\"event\":\"single_push\",\"ts\":1763629262.5}]}"))
                    .send(frame("NotifyStatus", "{\"ts\":1763629263.1,\"wifi\":{\"rssi\":-61}}"))
                    .send(frame("NotifyStatus", "{\"ts\":1763629263.2,\"switch:0\":{\"id\":0,\"source\":\"timer\"}}"))
                    // The sentinel: once its reading is there, the frames before it were read too.
                    .send(sample("notify-full-status.json"));
            awaitAdded(before, 1);
            assertThat(device.next(Duration.ofMillis(200))).as("no error frame for well-formed frames").isNull();
        }
        assertThat(raw.since(before)).extracting(r -> r.value().source()).containsExactly(Source.NOTIFY_FULL_STATUS);
        assertThat(metric(gateway, "gateway_ws_frames_ignored_total", "") - ignoredBefore).isEqualTo(3);
    }

    // ---- malformed frames: an error frame naming the problem, counted, nothing published ----

    record Bad(String frame, int code, WsReason reason, String inMessage) {
    }

    static Stream<Arguments> malformedFrames() {
        String ok = "\"src\":\"" + DEVICE + "\"";
        return Stream.of(
                bad("not JSON", new Bad("{\"src\": \"" + DEVICE + "\", \"method\": ", RpcFrames.PARSE_ERROR,
                        WsReason.MALFORMED_JSON, "malformed JSON")),
                bad("not an object", new Bad("[1, 2]", RpcFrames.INVALID_REQUEST, WsReason.NOT_A_FRAME, "an array")),
                bad("no src", new Bad("{\"method\":\"NotifyStatus\",\"params\":{}}", RpcFrames.INVALID_REQUEST,
                        WsReason.NOT_A_FRAME, "'src'")),
                bad("neither notification nor answer", new Bad("{" + ok + ",\"params\":{}}", RpcFrames.INVALID_REQUEST,
                        WsReason.NOT_A_FRAME, "'method'")),
                bad("unknown method", new Bad("{" + ok + ",\"method\":\"Shelly.Reboot\",\"params\":{}}",
                        RpcFrames.METHOD_NOT_FOUND, WsReason.UNKNOWN_METHOD, "Shelly.Reboot")),
                bad("method of the wrong type", new Bad("{" + ok + ",\"method\":7}", RpcFrames.INVALID_REQUEST,
                        WsReason.NOT_A_FRAME, "'method' must be a string")),
                bad("params not an object", new Bad("{" + ok + ",\"method\":\"NotifyFullStatus\",\"params\":[]}",
                        RpcFrames.INVALID_PARAMS, WsReason.NOT_A_READING, "'params'")),
                bad("power of the wrong type", new Bad(full("\"apower\":\"lots\""), RpcFrames.INVALID_PARAMS,
                        WsReason.INVALID_VALUE, "'params.switch:0.apower'")),
                bad("unsubstituted token", new Bad(full("\"apower\":\"${status[\\\"switch:0\\\"].apower}\""),
                        RpcFrames.INVALID_PARAMS, WsReason.UNSUBSTITUTED_TOKEN, "did not substitute")),
                bad("unsubstituted token in src", new Bad("{\"src\":\"${info.id}\",\"method\":\"NotifyStatus\",\"params\":{}}",
                        RpcFrames.INVALID_PARAMS, WsReason.UNSUBSTITUTED_TOKEN, "'src'")),
                bad("out of bounds", new Bad(full("\"apower\":3590,\"voltage\":-5"), RpcFrames.INVALID_PARAMS,
                        WsReason.OUT_OF_BOUNDS, "'voltage'")),
                bad("missing field in a full status", new Bad(full("\"apower\":3590"), RpcFrames.INVALID_PARAMS,
                        WsReason.MISSING_FIELD, "voltage")),
                bad("bad device time", new Bad("{" + ok + ",\"method\":\"NotifyStatus\",\"params\":{\"ts\":\"noon\","
                        + "\"switch:0\":{\"apower\":1}}}", RpcFrames.INVALID_PARAMS, WsReason.INVALID_TIMESTAMP, "'params.ts'")),
                bad("bad device id", new Bad("{\"src\":\"no spaces allowed\",\"method\":\"NotifyStatus\",\"params\":{}}",
                        RpcFrames.INVALID_PARAMS, WsReason.INVALID_DEVICE_ID, "'src'")),
                bad("answer to no request", new Bad("{\"id\":99," + ok + ",\"result\":{}}", RpcFrames.INVALID_REQUEST,
                        WsReason.NOT_A_FRAME, "no request")));
    }

    private static Arguments bad(String name, Bad b) {
        return Arguments.of(Named.of(name, b));
    }

    /** A NotifyFullStatus whose switch:0 holds {@code fields}. */
    private static String full(String fields) {
        return "{\"src\":\"" + DEVICE + "\",\"method\":\"NotifyFullStatus\",\"params\":{\"ts\":1763629200.02,"
                + "\"switch:0\":{\"id\":0," + fields + ",\"current\":1.0,\"aenergy\":{\"total\":5}}}}";
    }

    @Order(10)
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void answersAMalformedFrameWithAnErrorFrameAndKeepsTheConnection(Bad bad) throws Exception {
        double countedBefore = rejected(gateway, bad.reason());
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(gateway, ""))) {
            device.send(bad.frame());
            JsonNode answer = device.next(WAIT);
            assertThat(answer).as("an error frame").isNotNull();
            assertThat(answer.get("error").get("code").asInt()).as(answer.toString()).isEqualTo(bad.code());
            assertThat(answer.get("error").get("data").get("reason").asText()).isEqualTo(bad.reason().tag());
            assertThat(answer.get("error").get("message").asText()).contains(bad.inMessage());
            assertThat(answer.get("src").asText()).isEqualTo(RpcFrames.SOURCE);
            // The connection is still good: a valid frame after it lands.
            device.send(sample("notify-full-status.json"));
            awaitAdded(before, 1);
            assertThat(device.isClosed()).isFalse();
        }
        assertThat(raw.since(before)).as("only the valid frame reached the topic")
                .extracting(r -> r.value().source()).containsExactly(Source.NOTIFY_FULL_STATUS);
        assertThat(rejected(gateway, bad.reason()) - countedBefore).as("counted by reason").isEqualTo(1);
    }

    // ---- what closes a connection: counted, nothing of it published ----

    @Order(20)
    @Test
    void closesOnABinaryFrame() throws Exception {
        assertClosedFor(tight, WsReason.BINARY_FRAME, 1003, "binary", d -> d.sendBinary(sample("notify-full-status.json")
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Order(21)
    @Test
    void closesOnAMessageOverTheBoundInFragments() throws Exception {
        String part = "{\"src\":\"" + DEVICE + "\",\"pad\":\"" + "x".repeat(1800);
        assertClosedFor(tight, WsReason.TOO_LARGE, 1009, "at most 4096 bytes", d -> d.sendFragments(part, "y".repeat(1800),
                "z".repeat(1000) + "\"}"));
    }

    @Order(22)
    @Test
    void closesOnASingleFrameOverTheBound() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(tight, ""))) {
            device.send(full("\"apower\":1,\"voltage\":230,\"pad\":\"" + "x".repeat(5000) + "\""));
            DeviceSocket.Closed closed = device.awaitClose(WAIT);
            assertThat(closed).isNotNull();
            assertThat(closed.status()).isEqualTo(1009);
        }
        assertThat(raw.endOffsets()).isEqualTo(before);
    }

    @Order(23)
    @Test
    void closesAConnectionOverItsFrameRate() throws Exception {
        String event = frame("NotifyEvent", "{\"ts\":1763629262.5,\"events\":[]}");
        assertClosedFor(tight, WsReason.RATE_LIMITED, 1008, "more than 5 frames per second", d -> {
            for (int i = 0; i < 30 && !d.isClosed(); i++) {
                try {
                    d.send(event);
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
        });
    }

    @Order(24)
    @Test
    void keepsAConnectionThatAnswersPingsAndClosesOneThatGoesSilent() throws Exception {
        try (DeviceSocket alive = DeviceSocket.connect(url(tight, ""))) {
            // Longer than the idle timeout: the JDK client's pongs keep it open.
            Poll.hold(Duration.ofMillis(2500), () -> assertThat(alive.isClosed()).as("closed while answering pings").isFalse());
            assertThat(alive.pings.get()).as("pinged every 200 ms").isGreaterThanOrEqualTo(5);
        }
        double before = rejected(tight, WsReason.IDLE_TIMEOUT);
        try (RawWsClient silent = new RawWsClient(tight.port(), ShellyWsEndpoint.PATH)) {
            long t0 = System.nanoTime();
            RawWsClient.Frame close = silent.awaitClose();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(close.closeStatus()).isEqualTo(1001);
            assertThat(close.closeReason()).contains("no frame and no pong");
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        }
        assertThat(rejected(tight, WsReason.IDLE_TIMEOUT) - before).isEqualTo(1);
    }

    // ---- the optional Switch.GetStatus poll ----

    @Order(30)
    @Test
    void pollsEachChannelOfAConfiguredDeviceAndPublishesTheAnswers() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(tight, ""))) {
            ObjectNode twoChannels = (ObjectNode) Json.MAPPER.readTree(sample("notify-full-status-pro4pm.json"));
            twoChannels.put("src", POLLED);
            ((ObjectNode) twoChannels.get("params")).remove(List.of("switch:2", "switch:3"));
            device.send(Json.MAPPER.writeValueAsString(twoChannels));
            awaitAdded(before, 2);
            Map<Integer, JsonNode> requests = new HashMap<>();
            while (requests.size() < 2) {
                JsonNode request = device.next(WAIT);
                assertThat(request).as("a Switch.GetStatus per channel within the poll interval").isNotNull();
                assertThat(request.get("method").asText()).isEqualTo("Switch.GetStatus");
                assertThat(request.get("src").asText()).isEqualTo(RpcFrames.SOURCE);
                requests.put(request.get("params").get("id").asInt(), request);
            }
            assertThat(requests.keySet()).containsExactlyInAnyOrder(0, 1);
            Map<TopicPartition, Long> polled = raw.endOffsets();
            for (var r : requests.entrySet()) {
                int ch = r.getKey();
                device.send("{\"id\":" + r.getValue().get("id").asLong() + ",\"src\":\"" + POLLED + "\",\"dst\":\"wattstream\","
                        + "\"result\":{\"id\":" + ch + ",\"output\":true,\"apower\":" + (100 + ch) + ",\"voltage\":231.0,"
                        + "\"current\":0.5,\"aenergy\":{\"total\":" + (1000 + ch) + "}}}");
            }
            awaitAdded(polled, 2);
            List<RawReading> answers = raw.since(polled).stream().map(ConsumerRecord::value).toList();
            assertThat(answers).extracting(RawReading::deviceId).containsExactlyInAnyOrder(POLLED, POLLED + ":1");
            assertThat(answers).extracting(RawReading::source).containsOnly(Source.SWITCH_STATUS);
            assertThat(answers).extracting(RawReading::deviceTime).as("an answer carries no device time").containsOnly(false);
            assertThat(answers).extracting(RawReading::power).containsExactlyInAnyOrder(100.0, 101.0);
        }
    }

    @Order(31)
    @Test
    void pollsNoDeviceThatIsNotConfigured() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(tight, ""))) {
            device.send(sample("notify-full-status.json"));
            awaitAdded(before, 1);
            assertThat(device.next(Duration.ofMillis(1500))).as("no request for a device without a poll interval").isNull();
        }
    }

    // ---- tokens and devices ----

    @Order(40)
    @Test
    void closesWithPolicyViolationBeforeAnyFrameWithoutTheRightToken() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        double counted = rejected(secured, WsReason.UNAUTHORIZED);
        for (String query : List.of("", "token=nope", "token=")) {
            try (RawWsClient device = new RawWsClient(secured.port(), ShellyWsEndpoint.PATH + (query.isEmpty() ? "" : "?" + query))) {
                // The device sends its full status right away, as the firmware does.
                device.sendText(sample("notify-full-status.json"));
                RawWsClient.Frame close = device.awaitClose();
                assertThat(close.closeStatus()).as(query).isEqualTo(1008);
                assertThat(close.closeReason()).contains("token");
            }
        }
        assertThat(rejected(secured, WsReason.UNAUTHORIZED) - counted).isEqualTo(3);
        assertThat(raw.endOffsets()).as("nothing published without a valid token").isEqualTo(before);
    }

    @Order(41)
    @Test
    void refusesAFrameFromAnotherDeviceThanTheTokens() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(secured, "token=tok4"))) {
            device.send(sample("notify-full-status.json")); // src is shellypro1pm-..., the token is the 4PM's
            DeviceSocket.Closed closed = device.awaitClose(WAIT);
            assertThat(closed.status()).isEqualTo(1008);
            assertThat(closed.reason()).contains("not the token of device '" + DEVICE + "'");
        }
        assertThat(raw.endOffsets()).isEqualTo(before);
    }

    @Order(42)
    @Test
    void acceptsTheDevicesOwnTokenInTheUrlOrAsBearer() throws Exception {
        Map<TopicPartition, Long> inUrl = deliver(DeviceSocket.connect(url(secured, "token=s3cret")),
                sample("notify-full-status.json"), 1);
        assertThat(raw.since(inUrl)).extracting(ConsumerRecord::key).containsExactly(DEVICE);
        Map<TopicPartition, Long> asBearer = deliver(DeviceSocket.connect(url(secured, ""), HttpClient.newHttpClient(),
                Map.of("Authorization", "Bearer tok4")), sample("notify-full-status-pro4pm.json"), 4);
        assertThat(raw.since(asBearer)).hasSize(4);
    }

    @Order(43)
    @Test
    void keepsOneDevicePerConnection() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(gateway, ""))) {
            device.send(sample("notify-full-status.json"));
            awaitAdded(before, 1);
            device.send(sample("notify-full-status.json").replace(DEVICE, "shellypro1pm-other"));
            DeviceSocket.Closed closed = device.awaitClose(WAIT);
            assertThat(closed.status()).isEqualTo(1008);
            assertThat(closed.reason()).contains("carries device '" + DEVICE + "'");
        }
        assertThat(raw.since(before)).extracting(ConsumerRecord::key).containsExactly(DEVICE);
    }

    // ---- many devices ----

    @Order(50)
    @Test
    void holdsAThousandDevicesAtOnce() throws Exception {
        int devices = 1000;
        Map<TopicPartition, Long> before = raw.endOffsets();
        HttpClient client = HttpClient.newHttpClient();
        List<DeviceSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < devices; i++) {
                sockets.add(DeviceSocket.connect(url(gateway, ""), client));
            }
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                sent.add(sockets.get(i).sendAsync(sample("notify-full-status.json").replace(DEVICE, "shellypro1pm-load" + i)));
            }
            sent.forEach(CompletableFuture::join);
            awaitAdded(before, devices);
            assertThat(metric(gateway, "gateway_ws_connections", "")).as("all open at once").isGreaterThanOrEqualTo(devices);
            sent.clear();
            for (int i = 0; i < devices; i++) {
                sent.add(sockets.get(i).sendAsync(sample("notify-status.json").replace(DEVICE, "shellypro1pm-load" + i)));
            }
            sent.forEach(CompletableFuture::join);
            awaitAdded(before, 2L * devices);
            assertThat(sockets).noneMatch(DeviceSocket::isClosed);
        } finally {
            sockets.forEach(DeviceSocket::close);
        }
        List<ConsumerRecord<String, RawReading>> landed = raw.since(before);
        assertThat(landed.stream().map(ConsumerRecord::key).distinct()).hasSize(devices);
    }

    // ---- a gateway restart: "going away", then the device's reconnect is taken with its full status ----

    @Order(55)
    @Test
    void tellsDevicesToGoAwayWhenItStopsAndTakesTheirReconnect() throws Exception {
        int port = Ports.free();
        GatewayApp first = GatewayApp.start(config(Map.of("server.port", Integer.toString(port))));
        Map<TopicPartition, Long> start = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect("ws://127.0.0.1:" + port + ShellyWsEndpoint.PATH)) {
            try {
                device.send(sample("notify-full-status.json"));
                awaitAdded(start, 1);
            } finally {
                first.close();
            }
            DeviceSocket.Closed closed = device.awaitClose(WAIT);
            assertThat(closed).as("a close frame before the server stops").isNotNull();
            assertThat(closed.status()).isEqualTo(1001);
            assertThat(closed.reason()).contains("stopping");
        }
        GatewayApp second = GatewayApp.start(config(Map.of("server.port", Integer.toString(port))));
        try {
            Map<TopicPartition, Long> before = deliver(DeviceSocket.connect("ws://127.0.0.1:" + port + ShellyWsEndpoint.PATH),
                    sample("notify-full-status.json").replace("1763629200.02", "1763629400.5"), 1);
            assertThat(raw.since(before)).extracting(r -> r.value().timestamp())
                    .containsExactly(Instant.parse("2025-11-20T09:03:20.500Z"));
        } finally {
            second.close();
        }
    }

    // ---- wss: the endpoint on a TLS listener, a self-signed certificate as a device's ssl_ca "*" takes ----

    @Order(60)
    @Test
    void servesTheEndpointOverTlsForAWssServerUrl(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String keytoolOut = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(keytoolOut).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        Tls tls = Tls.builder().privateKey((PrivateKey) store.getKey("gateway", "changeit".toCharArray()))
                .privateKeyCertChain(List.of((X509Certificate) store.getCertificate("gateway"))).build();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);

        GatewaySettings settings = GatewaySettings.from(config(Map.of()));
        try (ReadingPublisher publisher = new ReadingPublisher(settings)) {
            ShellyWsEndpoint endpoint = new ShellyWsEndpoint(ShellyWsSettings.defaults(), DeviceTokens.none(), publisher,
                    new GatewayMetrics(Services.get(MeterRegistry.class)), MonotonicClock.SYSTEM);
            WebServer wss = WebServer.builder().host("127.0.0.1").port(0).tls(tls)
                    .addProtocol(endpoint.protocol()).addRouting(endpoint.routing()).build().start();
            try {
                Map<TopicPartition, Long> before = deliver(DeviceSocket.connect("wss://127.0.0.1:" + wss.port()
                        + ShellyWsEndpoint.PATH, HttpClient.newBuilder().sslContext(ssl).build()),
                        sample("notify-full-status.json"), 1);
                assertThat(raw.since(before)).extracting(r -> r.value().source()).containsExactly(Source.NOTIFY_FULL_STATUS);
            } finally {
                endpoint.close();
                wss.stop();
            }
        }
    }

    // ---- broker outage: close "try again later", nothing treated as stored, the reconnect resends ----

    @Order(100)
    @Test
    void closesWithTryAgainLaterWhileKafkaIsDownAndTakesTheReconnect() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        DeviceSocket device = DeviceSocket.connect(url(gateway, ""));
        device.send(sample("notify-full-status.json"));
        awaitAdded(before, 1);
        double counted = rejected(gateway, WsReason.KAFKA_UNAVAILABLE);
        kafka.stop();
        try {
            long t0 = System.nanoTime();
            device.send(frame("NotifyStatus", "{\"ts\":1763629300.5,\"switch:0\":{\"apower\":1111.1}}"));
            DeviceSocket.Closed closed = device.awaitClose(WAIT);
            assertThat(closed).isNotNull();
            assertThat(closed.status()).isEqualTo(1013);
            assertThat(closed.reason()).contains("not stored");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("bounded by the 2 s publish timeout")
                    .isLessThan(Duration.ofSeconds(8));
        } finally {
            device.close();
            kafka.start();
        }
        assertThat(rejected(gateway, WsReason.KAFKA_UNAVAILABLE) - counted).isEqualTo(1);

        // As the firmware does: reconnect (with back-off) until the gateway takes the connection, send the full
        // status again (its time is the time of that attempt), then the partials.
        long[] attempt = {0};
        Poll.until(() -> "a reconnect whose frames are stored", Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
            long ts = 1763629301L + 10 * attempt[0]++;
            Map<TopicPartition, Long> offsets = raw.endOffsets();
            try (DeviceSocket again = DeviceSocket.connect(url(gateway, ""))) {
                again.send(sample("notify-full-status.json").replace("1763629200.02", ts + ".0"));
                again.send(frame("NotifyStatus", "{\"ts\":" + ts + ".5,\"switch:0\":{\"apower\":2222.2}}"));
                Poll.until("both stored or the connection closed", WAIT,
                        () -> again.isClosed() || raw.total(raw.endOffsets()) - raw.total(offsets) >= 2);
                return !again.isClosed();
            }
        });
        long last = 1763629301L + 10 * (attempt[0] - 1);
        List<Instant> times = byReceipt(raw.since(before)).stream().map(r -> r.value().timestamp()).toList();
        assertThat(times).as("what was stored stays, once; the refused partial is not there")
                .startsWith(Instant.parse("2025-11-20T09:00:00.020Z"))
                .endsWith(Instant.ofEpochSecond(last), Instant.ofEpochSecond(last, 500_000_000))
                .doesNotHaveDuplicates()
                .doesNotContain(Instant.ofEpochSecond(1763629300L, 500_000_000));
    }

    // ---- helpers ----

    private interface DeviceAction {
        void run(DeviceSocket device) throws Exception;
    }

    private static void assertClosedFor(GatewayApp server, WsReason reason, int status, String inReason, DeviceAction action)
            throws Exception {
        double counted = rejected(server, reason);
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(server, ""))) {
            action.run(device);
            DeviceSocket.Closed closed = device.awaitClose(WAIT);
            assertThat(closed).as("closed").isNotNull();
            assertThat(closed.status()).isEqualTo(status);
            assertThat(closed.reason()).contains(inReason);
        }
        assertThat(rejected(server, reason) - counted).isEqualTo(1);
        assertThat(raw.endOffsets()).as("nothing published").isEqualTo(before);
    }

    static String url(GatewayApp server, String query) {
        return "ws://127.0.0.1:" + server.port() + ShellyWsEndpoint.PATH + (query.isEmpty() ? "" : "?" + query);
    }

    static String sample(String name) {
        return new String(WebhookParserTest.sample(name), StandardCharsets.UTF_8);
    }

    private static String frame(String method, String params) {
        return "{\"src\":\"" + DEVICE + "\",\"dst\":\"wattstream\",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    /** Sends {@code frame} on a fresh connection and waits for its readings; the offsets before it. */
    private static Map<TopicPartition, Long> deliver(DeviceSocket connected, String frame, int readings) {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = connected) {
            device.send(frame);
            awaitAdded(before, readings);
        }
        return before;
    }

    private static void awaitAdded(Map<TopicPartition, Long> before, long count) {
        Poll.until(() -> count + " readings on the raw topic", WAIT,
                () -> raw.total(raw.endOffsets()) - raw.total(before) >= count);
    }

    private static List<ConsumerRecord<String, RawReading>> byReceipt(List<ConsumerRecord<String, RawReading>> records) {
        List<ConsumerRecord<String, RawReading>> sorted = new ArrayList<>(records);
        sorted.sort(java.util.Comparator.comparing(r -> r.value().receivedAt()));
        return sorted;
    }

    private static double rejected(GatewayApp server, WsReason reason) throws Exception {
        return metric(server, "gateway_ws_frames_rejected_total", "reason=\"" + reason.tag() + "\"");
    }

    /** One value from the Prometheus text; the meters are the JVM's, shared by the three gateways. */
    private static double metric(GatewayApp server, String name, String label) throws Exception {
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/observe/metrics")).header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(res.body());
        while (m.find()) {
            if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " " + label + " in the metrics:\n" + res.body());
    }
}
