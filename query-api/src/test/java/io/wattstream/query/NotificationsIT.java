package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.AlertKey;
import io.wattstream.model.Json;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.Topics;
import io.wattstream.notifier.NotifierApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Channels, routes, deliveries and acknowledgements through the query API, with the real notifier
 * on the same broker and a real HTTP receiver: what the API writes is on the topics, secrets never
 * come back or reach a log, and an acknowledgement ends the notifier's reminders.
 */
class NotificationsIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SECRET = "hmac-key-that-must-never-show-0123";
    static final String SLACK_URL = "https://hooks.slack.com/services/T000/B000/slack-path-secret";
    static final String SMTP_PASSWORD = "smtp-password-never-shown";

    static TestStack stack;
    static NotifierApp notifier;
    static HttpServer receiver;
    /** What the receiver got: path and idempotency key of each request. */
    static final List<String> received = new CopyOnWriteArrayList<>();
    static final List<String> logged = new CopyOnWriteArrayList<>();
    static AbstractAppender capture;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() throws IOException {
        capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getMessage().getFormattedMessage() + (event.getThrown() == null ? "" : " " + event.getThrown()));
            }
        };
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        ctx.updateLoggers();

        int notifierPort = Ports.free();
        stack = new TestStack(Map.of("app.notifier.url", "http://127.0.0.1:" + notifierPort));
        Map<String, String> n = new HashMap<>();
        n.put("server.host", "127.0.0.1");
        n.put("server.port", Integer.toString(notifierPort));
        n.put("app.kafka.bootstrap", stack.kafka.bootstrapServers());
        n.put("app.group-id", "notifications-it");
        n.put("app.start-from", "earliest");
        n.put("app.retry.initial-backoff", "50ms");
        n.put("app.retry.max-backoff", "200ms");
        n.put("app.reminder-check", "100ms");
        notifier = NotifierApp.start(Config.just(ConfigSources.create(n)));

        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 20);
        receiver.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (notifier != null) {
            notifier.close();
        }
        if (stack != null) {
            stack.close();
        }
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender("capture");
        ctx.updateLoggers();
    }

    static HttpResponse<String> call(String method, String path, String body) {
        return stack.send(stack.authorized(path).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static JsonNode ok(HttpResponse<String> res, int status) throws IOException {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return res.body().isEmpty() ? null : Json.MAPPER.readTree(res.body());
    }

    static String receiverUrl(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    static List<String> receivedAt(String path) {
        return received.stream().filter(r -> r.startsWith(path + " ")).map(r -> r.substring(path.length() + 1)).toList();
    }

    /** Every record of a topic so far, in order. */
    static List<ConsumerRecord<String, byte[]>> records(String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /** The newest value of {@code key} on the topic, as text; null for a tombstone. */
    static String latest(String topic, String key) {
        String value = "<absent>";
        for (ConsumerRecord<String, byte[]> r : records(topic)) {
            if (key.equals(r.key())) {
                value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    @Test
    void channelSecretsAreWriteOnlyNeverAnsweredNeverLoggedAndKeptWhenLeftOut() throws Exception {
        JsonNode hook = ok(call("PUT", "/api/notifications/channels/sec-hook",
                "{\"type\":\"WEBHOOK\",\"url\":\"https://example.org/hook\",\"secret\":\"" + SECRET + "\"}"), 200);
        assertThat(hook.path("has_secret").asBoolean()).isTrue();
        assertThat(hook.has("secret")).isFalse();
        assertThat(latest(Topics.NOTIFY_CHANNELS.name(), NotifyEntry.channelKey("sec-hook"))).contains(SECRET);

        // An update without the secret keeps it.
        ok(call("PUT", "/api/notifications/channels/sec-hook", "{\"type\":\"WEBHOOK\",\"url\":\"https://example.org/other\"}"), 200);
        assertThat(latest(Topics.NOTIFY_CHANNELS.name(), NotifyEntry.channelKey("sec-hook")))
                .contains(SECRET).contains("https://example.org/other");

        // A Slack URL is its credential: shown masked, and sending the masked one back keeps the real one.
        JsonNode slack = ok(call("PUT", "/api/notifications/channels/sec-slack", "{\"type\":\"SLACK\",\"url\":\"" + SLACK_URL + "\"}"), 200);
        assertThat(slack.path("url").asText()).isEqualTo("https://hooks.slack.com/***");
        JsonNode shown = ok(stack.get("/api/notifications/channels/sec-slack"), 200);
        ((com.fasterxml.jackson.databind.node.ObjectNode) shown).remove("has_secret");
        ((com.fasterxml.jackson.databind.node.ObjectNode) shown).put("enabled", false);
        ok(call("PUT", "/api/notifications/channels/sec-slack", shown.toString()), 200);
        assertThat(latest(Topics.NOTIFY_CHANNELS.name(), NotifyEntry.channelKey("sec-slack")))
                .contains(SLACK_URL).contains("\"enabled\":false");

        JsonNode mail = ok(call("PUT", "/api/notifications/channels/sec-mail", "{\"type\":\"EMAIL\",\"email\":{\"host\":\"smtp.example.org\","
                + "\"username\":\"ops\",\"password\":\"" + SMTP_PASSWORD + "\",\"from\":\"w@example.org\",\"to\":[\"ops@example.org\"]}}"), 200);
        assertThat(mail.path("email").has("password")).isFalse();
        assertThat(mail.path("has_secret").asBoolean()).isTrue();

        String all = stack.get("/api/notifications/channels/").body() + stack.get("/api/notifications/channels/sec-hook").body()
                + stack.get("/api/notifications/channels/sec-mail").body();
        assertThat(all).contains("sec-hook", "sec-slack", "sec-mail")
                .doesNotContain(SECRET).doesNotContain("slack-path-secret").doesNotContain(SMTP_PASSWORD);
        assertThat(String.join("\n", logged)).as("the log").contains("sec-hook")
                .doesNotContain(SECRET).doesNotContain("slack-path-secret").doesNotContain(SMTP_PASSWORD);
    }

    @Test
    void routesNameExistingChannelsAndAChannelInUseIsNotDeleted() throws Exception {
        ok(call("PUT", "/api/notifications/channels/r-hook",
                "{\"type\":\"WEBHOOK\",\"url\":\"https://example.org/r\",\"secret\":\"" + SECRET + "\"}"), 200);
        HttpResponse<String> unknown = call("PUT", "/api/notifications/routes/r-route", "{\"channels\":[\"r-hook\",\"nobody\"]}");
        assertThat(ok(unknown, 400).path("error").asText()).contains("'nobody'");
        JsonNode route = ok(call("PUT", "/api/notifications/routes/r-route",
                "{\"channels\":[\"r-hook\"],\"kinds\":[\"DEVICE_OFFLINE\"],\"repeat_every\":\"30m\"}"), 200);
        assertThat(route.path("id").asText()).isEqualTo("r-route");
        assertThat(ok(stack.get("/api/notifications/routes/r-route"), 200).path("repeat_every").asText()).isEqualTo("30m");

        HttpResponse<String> inUse = call("DELETE", "/api/notifications/channels/r-hook", null);
        assertThat(ok(inUse, 409).path("error").asText()).contains("r-route");
        ok(call("DELETE", "/api/notifications/routes/r-route", null), 204);
        ok(stack.get("/api/notifications/routes/r-route"), 404);
        assertThat(latest(Topics.NOTIFY_CHANNELS.name(), NotifyEntry.routeKey("r-route"))).as("a tombstone").isNull();
        ok(call("DELETE", "/api/notifications/channels/r-hook", null), 204);
        ok(call("DELETE", "/api/notifications/channels/r-hook", null), 404);
    }

    @Test
    void anInvalidChannelOrRouteGetsA400SayingWhy() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"type\":\"WEBHOOK\",\"url\":\"https://example.org/h\"}", "needs a secret",
                "{\"type\":\"PIGEON\",\"url\":\"https://example.org/h\"}", "'type'",
                "{\"type\":\"NTFY\",\"url\":\"ftp://example.org/h\"}", "http or https",
                "{\"type\":\"NTFY\",\"url\":\"https://example.org/h\",\"colour\":\"red\"}", "'colour'",
                "{\"id\":\"other\",\"type\":\"NTFY\",\"url\":\"https://example.org/h\"}", "'id'",
                "[]", "JSON channel object");
        for (var c : cases.entrySet()) {
            assertThat(ok(call("PUT", "/api/notifications/channels/bad", c.getKey()), 400).path("error").asText())
                    .as(c.getKey()).contains(c.getValue());
        }
        ok(call("PUT", "/api/notifications/channels/bad-route-target", "{\"type\":\"NTFY\",\"url\":\"https://example.org/n\"}"), 200);
        assertThat(ok(call("PUT", "/api/notifications/routes/bad", "{\"channels\":[\"bad-route-target\"],\"repeat_every\":\"10\"}"), 400)
                .path("error").asText()).contains("repeat_every");
        assertThat(ok(call("PUT", "/api/notifications/routes/bad", "{\"channels\":[]}"), 400).path("error").asText())
                .contains("at least one channel");
        assertThat(ok(call("PUT", "/api/notifications/routes/a%20b", "{\"channels\":[\"bad-route-target\"]}"), 400)
                .path("error").asText()).contains("'id'");
        ok(stack.get("/api/notifications/channels/bad"), 404);
    }

    @Test
    void deliveriesShowWhatTheNotifierSentAndItsRefusalsPassThrough() throws Exception {
        ok(call("PUT", "/api/notifications/channels/d-hook",
                "{\"type\":\"WEBHOOK\",\"url\":\"" + receiverUrl("/d") + "\",\"secret\":\"" + SECRET + "\"}"), 200);
        ok(call("PUT", "/api/notifications/routes/d-route", "{\"channels\":[\"d-hook\"],\"devices\":[\"d-1\"]}"), 200);
        Alert raised = new Alert("d-1", Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.RAISED, 3500.0, 3600.0, 3600.0,
                Instant.now(), null, null);
        // The notifier follows the channel topic: the route may reach it just after this alert; send until delivered.
        Poll.until(() -> "a delivery to the receiver", WAIT, Duration.ofMillis(500), () -> {
            if (deliveries("?channel=d-hook&outcome=DELIVERED").path("recent").isEmpty()) {
                sendAlert(raised);
                return false;
            }
            return true;
        });
        JsonNode d = deliveries("?channel=d-hook&outcome=DELIVERED").path("recent").get(0);
        assertThat(d.path("device_id").asText()).isEqualTo("d-1");
        assertThat(d.path("routes").toString()).contains("d-route");
        assertThat(deliveries("?channel=d-hook").toString()).doesNotContain(SECRET);

        HttpResponse<String> bad = stack.get("/api/notifications/?limit=0");
        assertThat(ok(bad, 400).path("error").asText()).contains("limit");
    }

    @Test
    void anAcknowledgementGoesToTheTopicWithWhoAndWhenAndEndsTheReminders() throws Exception {
        ok(call("PUT", "/api/notifications/channels/ack-hook",
                "{\"type\":\"WEBHOOK\",\"url\":\"" + receiverUrl("/ack") + "\",\"secret\":\"" + SECRET + "\"}"), 200);
        ok(call("PUT", "/api/notifications/routes/ack-route", "{\"channels\":[\"ack-hook\"],\"devices\":[\"ack-1\"],"
                + "\"repeat_every\":\"300ms\"}"), 200);
        Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Alert raised = new Alert("ack-1", Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.RAISED, 3500.0, 3700.0, 3700.0,
                started, null, null);
        String key = AlertKey.of(raised).id();
        // The row the sink would have written: an alert must be stored before it can be acknowledged.
        HttpResponse<String> early = call("POST", "/api/alerts/" + key + "/ack", "{}");
        assertThat(ok(early, 404).path("error").asText()).contains("no alert");
        stack.sql("insert into alert (device_id, kind, started_at, state, threshold_w, power_w, peak_w) values ('ack-1', "
                + "'POWER_OVER_THRESHOLD', '" + started + "', 'RAISED', 3500, 3700, 3700)");
        JsonNode listed = ok(stack.get("/api/alerts/?device=ack-1"), 200).get(0);
        assertThat(listed.path("id").asText()).isEqualTo(key);
        assertThat(listed.path("acknowledged").asBoolean()).isFalse();

        Poll.until(() -> "two reminders of the unacknowledged alert", WAIT, Duration.ofMillis(250), () -> {
            if (receivedAt("/ack").stream().noneMatch(k -> k.endsWith("-r2"))) {
                if (receivedAt("/ack").isEmpty()) {
                    sendAlert(raised); // until the route has reached the notifier
                }
                return false;
            }
            return true;
        });

        Instant before = Instant.now();
        JsonNode ack = ok(call("POST", "/api/alerts/" + key + "/ack", "{\"note\":\"replacing the fuse\"}"), 200);
        assertThat(ack.path("id").asText()).isEqualTo(key);
        assertThat(ack.path("acked_by").asText()).isEqualTo("admin");
        assertThat(Instant.parse(ack.path("acked_at").asText())).isBetween(before, Instant.now());
        assertThat(ack.path("ack_note").asText()).isEqualTo("replacing the fuse");
        AlertAck onTopic = Json.MAPPER.readValue(latest(Topics.ALERT_ACKS.name(), key), AlertAck.class);
        assertThat(onTopic).isEqualTo(new AlertAck("ack-1", Alert.Kind.POWER_OVER_THRESHOLD, started, "", "admin",
                Instant.parse(ack.path("acked_at").asText()), "replacing the fuse"));

        // A reminder comes every 300 ms while the alert is unacknowledged: a whole second without one
        // (within the deadline) means the notifier read the acknowledgement and stopped.
        awaitQuiet("/ack", Duration.ofSeconds(1));

        assertThat(ok(call("POST", "/api/alerts/not-an-id/ack", "{}"), 400).path("error").asText()).contains("not an alert id");
        assertThat(ok(call("POST", "/api/alerts/" + key + "/ack", "{\"note\":\"" + "x".repeat(1001) + "\"}"), 400)
                .path("error").asText()).contains("'note'");
        assertThat(ok(call("POST", "/api/alerts/" + key + "/ack", "{\"by\":\"mallory\"}"), 400).path("error").asText()).contains("'by'");
    }

    /** Waits (at most {@link #WAIT}) until the receiver has got nothing new at {@code path} for {@code quiet}. */
    static void awaitQuiet(String path, Duration quiet) {
        int[] last = {receivedAt(path).size()};
        long[] since = {System.nanoTime()};
        Poll.until("no request for " + quiet.toMillis() + " ms", WAIT, () -> {
            if (receivedAt(path).size() != last[0]) {
                last[0] = receivedAt(path).size();
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] >= quiet.toNanos();
        });
    }

    static void sendAlert(Alert a) {
        try {
            producer.send(new ProducerRecord<>(Topics.ALERTS.name(), a.deviceId(), Json.MAPPER.writeValueAsBytes(a)))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode deliveries(String query) {
        try {
            return ok(stack.get("/api/notifications/" + query), 200);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
