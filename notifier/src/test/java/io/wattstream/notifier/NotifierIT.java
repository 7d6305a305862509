package io.wattstream.notifier;

import static io.wattstream.notifier.Alerts.cleared;
import static io.wattstream.notifier.Alerts.raised;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.DeadLetter;
import io.wattstream.model.Device;
import io.wattstream.model.Json;
import io.wattstream.model.NotifyChannel;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.NotifyRoute;
import io.wattstream.model.Topics;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notifier against a real broker, real HTTP receivers and a real SMTP server. One notifier and
 * one broker for the class; each test has its own devices, routes and channels, so they do not see
 * each other's transitions.
 */
class NotifierIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "webhook-secret-0123456789";
    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Kafka kafka;
    private static GreenMail smtp;
    private static NotifierApp app;
    private static final Receiver hook = Receiver.started();
    private static final Receiver ntfy = Receiver.started();
    private static final Receiver slack = Receiver.started();
    private static final Receiver outage = Receiver.down();
    private static final Receiver broken = Receiver.started().answering(r -> 503);
    private static final Receiver refusing = Receiver.started().answering(r -> 400);
    private static final Receiver flap = Receiver.started();
    private static final Receiver quiet = Receiver.started();
    private static final Receiver site = Receiver.started();
    private static final Receiver fast = Receiver.started();
    private static final Receiver reminded = Receiver.started();
    private static final CountDownLatch slowRelease = new CountDownLatch(1);
    private static final Receiver slow = Receiver.started().answering(r -> {
        try {
            slowRelease.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 200;
    });

    @BeforeAll
    static void start() {
        kafka = new Kafka(EmbeddedKafka.startEphemeral());
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        kafka.device(new Device("g1", "Charger G1", "garage", null));
        kafka.device(new Device("g2", "Charger G2", "office", null));
        channel(new NotifyChannel("hook", NotifyChannel.Type.WEBHOOK, hook.url("/hook"), SECRET, null, null));
        channel(new NotifyChannel("ntfy", NotifyChannel.Type.NTFY, ntfy.url("/wattstream-alerts"), "ntfy-token", null, null));
        channel(new NotifyChannel("slack", NotifyChannel.Type.SLACK, slack.url("/services/T0/B0/secretpath"), null, null, null));
        channel(new NotifyChannel("mail", NotifyChannel.Type.EMAIL, null, null, new NotifyChannel.Email("127.0.0.1",
                smtp.getSmtp().getPort(), NotifyChannel.Security.NONE, null, null, "wattstream@example.test",
                List.of("ops@example.test")), null));
        channel(webhook("outage", outage));
        channel(webhook("broken", broken));
        channel(webhook("refusing", refusing));
        channel(webhook("flap", flap));
        channel(webhook("quiet", quiet));
        channel(webhook("site", site));
        channel(webhook("fast", fast));
        channel(webhook("slow", slow));
        channel(webhook("reminded", reminded));
        route("signed", List.of("hook"), Set.of("hook-1", "hook-2"), null, null, null);
        route("formats", List.of("ntfy", "slack"), Set.of("fmt-1"), null, null, null);
        route("mail", List.of("mail"), Set.of("mail-1"), null, null, null);
        route("outage", List.of("outage"), Set.of("out-1", "out-2"), null, null, null);
        route("dead", List.of("broken", "refusing"), Set.of("dead-1"), null, null, null);
        route("flap", List.of("flap"), Set.of("flap-1"), null, null, "10m");
        route("quiet", List.of("quiet"), Set.of("quiet-1"), null,
                new NotifyRoute.QuietHours("22:00", "07:00", "Europe/Zurich"), null);
        route("site", List.of("site"), null, Set.of("garage"), null, null);
        route("split", List.of("slow", "fast"), Set.of("split-1"), null, null, null);
        kafka.entry(NotifyEntry.of(new NotifyRoute("reminded", List.of("reminded"), null, null, Set.of("rem-1", "rem-2"),
                null, null, null, "300ms", null).validate()));
        app = NotifierApp.start(config(kafka.broker.bootstrapServers(), "notifier-it"));
    }

    @AfterAll
    static void stop() {
        slowRelease.countDown();
        if (app != null) {
            app.close();
        }
        for (Receiver r : List.of(hook, ntfy, slack, outage, broken, refusing, flap, quiet, site, fast, slow, reminded)) {
            r.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Short backoffs so retries and give-ups happen within seconds. */
    static Config config(String bootstrap, String group) {
        return Config.just(ConfigSources.create(Map.ofEntries(
                Map.entry("app.reminder-check", "100ms"),
                Map.entry("server.port", "0"),
                Map.entry("server.host", "127.0.0.1"),
                Map.entry("app.kafka.bootstrap", bootstrap),
                Map.entry("app.group-id", group),
                Map.entry("app.start-from", "earliest"),
                Map.entry("app.retry.initial-backoff", "50ms"),
                Map.entry("app.retry.max-backoff", "200ms"),
                Map.entry("app.retry.max-attempts", "30"),
                Map.entry("app.send-timeout", "5s"),
                Map.entry("app.alerts-commit-interval", "200ms"))));
    }

    private static NotifyChannel webhook(String id, Receiver r) {
        return new NotifyChannel(id, NotifyChannel.Type.WEBHOOK, r.url("/" + id), SECRET, null, null);
    }

    private static void channel(NotifyChannel c) {
        kafka.entry(NotifyEntry.of(c.validate()));
    }

    private static void route(String id, List<String> channels, Set<String> devices, Set<String> sites,
                              NotifyRoute.QuietHours quietHours, String minInterval) {
        kafka.entry(NotifyEntry.of(new NotifyRoute(id, channels, null, null, devices, sites, quietHours, minInterval, null, null).validate()));
    }

    @Test
    void deliversSignedWebhookThatTheReceiverVerifies() throws Exception {
        Alert r = raised("hook-1", T0);
        Alert c = cleared("hook-1", T0, T0.plusSeconds(90));
        kafka.alert(r);
        kafka.alert(c);
        Poll.until("two webhook deliveries", WAIT, () -> hook.accepted().size() == 2);

        List<Receiver.Request> got = hook.accepted();
        assertThat(got).extracting(x -> x.header("Idempotency-Key"))
                .containsExactly(Transition.idempotencyKey(r), Transition.idempotencyKey(c));
        for (Receiver.Request req : got) {
            // What a receiver does: HMAC-SHA256 of the raw body with the shared secret, compared in constant time.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(req.body()))).getBytes(StandardCharsets.US_ASCII);
            assertThat(MessageDigest.isEqual(expected, req.header("X-Wattstream-Signature").getBytes(StandardCharsets.US_ASCII)))
                    .as("signature verifies").isTrue();
            JsonNode body = Json.MAPPER.readTree(req.body());
            assertThat(Instant.parse(body.get("sent_at").asText()).getEpochSecond())
                    .isEqualTo(Long.parseLong(req.header("X-Wattstream-Timestamp")));
            assertThat(body.get("device_id").asText()).isEqualTo("hook-1");
        }
        assertThat(Json.MAPPER.readTree(got.get(0).body()).get("event").asText()).isEqualTo("alert.raised");
        assertThat(Json.MAPPER.readTree(got.get(1).body()).get("event").asText()).isEqualTo("alert.cleared");

        Receiver.Request tampered = got.getFirst();
        byte[] changed = tampered.text().replace("hook-1", "hook-9").getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat("sha256=" + HexFormat.of().formatHex(mac.doFinal(changed))).isNotEqualTo(tampered.header("X-Wattstream-Signature"));

        JsonNode view = deliveries("?device=hook-1");
        Poll.until("both outcomes in /deliveries", WAIT, () -> deliveries("?device=hook-1&outcome=DELIVERED").get("recent").size() == 2);
        assertThat(view.toString()).doesNotContain(SECRET);
        String metrics = get("/observe/metrics");
        assertThat(metrics).contains("notifier_delivered").contains("channel=\"hook\"").contains("notifier_delivery_latency");
    }

    @Test
    void ntfyAndSlackReceiveTheirOwnFormats() throws Exception {
        kafka.alert(raised("fmt-1", T0));
        Poll.until("ntfy and slack deliveries", WAIT, () -> ntfy.accepted().size() == 1 && slack.accepted().size() == 1);

        Receiver.Request n = ntfy.accepted().getFirst();
        assertThat(n.path()).isEqualTo("/wattstream-alerts");
        assertThat(n.header("Title")).isEqualTo("Power over threshold: fmt-1");
        assertThat(n.header("Priority")).isEqualTo("high");
        assertThat(n.header("Tags")).isEqualTo("warning");
        assertThat(n.header("Authorization")).isEqualTo("Bearer ntfy-token");
        assertThat(n.text()).contains("RAISED POWER_OVER_THRESHOLD", "Power: 4300 W (threshold 4000 W)");

        Receiver.Request s = slack.accepted().getFirst();
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = Json.MAPPER.readTree(s.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("text");
        assertThat(body.get("text").asText()).startsWith("*Power over threshold: fmt-1*\n");
    }

    @Test
    void deliversEmailToTheSmtpServer() throws Exception {
        Alert r = raised("mail-1", T0);
        kafka.alert(r);
        Poll.until("a mail", WAIT, () -> smtp.getReceivedMessages().length == 1);

        MimeMessage m = smtp.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[Wattstream] Power over threshold: mail-1");
        assertThat(m.getFrom()[0].toString()).isEqualTo("wattstream@example.test");
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo("ops@example.test");
        assertThat(m.getHeader("X-Wattstream-Idempotency-Key")[0]).isEqualTo(Transition.idempotencyKey(r));
        assertThat(m.getMessageID()).isEqualTo("<" + Transition.idempotencyKey(r) + ".mail@wattstream>");
        assertThat(m.getContent().toString()).contains("Device: mail-1", "Started: 2026-11-20T12:00:00Z");
    }

    @Test
    void receiverDownThenUpGetsEveryTransitionInOrderPerDevice() {
        List<Alert> sent = List.of(
                raised("out-1", T0), raised("out-2", T0),
                cleared("out-1", T0, T0.plusSeconds(60)), cleared("out-2", T0, T0.plusSeconds(70)),
                raised("out-1", T0.plusSeconds(600)), raised("out-2", T0.plusSeconds(600)),
                cleared("out-1", T0.plusSeconds(600), T0.plusSeconds(660)));
        sent.forEach(kafka::alert);
        // Down: the first transition is retried, and the failure shows in /deliveries.
        Poll.until("retries of the first transition", WAIT, () -> {
            JsonNode pending = deliveries("?channel=outage").get("pending");
            return pending.size() == 1 && pending.get(0).get("attempts").asInt() >= 3
                    && pending.get(0).get("last_error").asText().contains("ConnectException");
        });
        outage.start();
        Poll.until("every transition delivered", WAIT, () -> outage.accepted().size() == sent.size());

        for (String device : List.of("out-1", "out-2")) {
            List<String> expected = sent.stream().filter(a -> a.deviceId().equals(device)).map(Transition::idempotencyKey).toList();
            List<String> received = outage.accepted().stream()
                    .filter(x -> x.text().contains("\"device_id\":\"" + device + "\""))
                    .map(x -> x.header("Idempotency-Key")).toList();
            assertThat(received).as("order of %s", device).containsExactlyElementsOf(expected);
        }
        assertThat(deliveries("?channel=outage&outcome=DEAD_LETTERED").get("recent")).isEmpty();
    }

    @Test
    void deadLettersAfterRetriesAndAtOnceWhenRefused() {
        Alert r = raised("dead-1", T0);
        String key = Transition.idempotencyKey(r);
        kafka.alert(r);
        Poll.until("both dead letters", WAIT, () -> dlq(key).size() == 2);

        Map<String, ConsumerRecord<String, byte[]>> byChannel = new java.util.HashMap<>();
        dlq(key).forEach(x -> byChannel.put(header(x, DeadLetter.CHANNEL), x));
        ConsumerRecord<String, byte[]> gaveUp = byChannel.get("broken");
        assertThat(header(gaveUp, DeadLetter.REASON)).isEqualTo(DeadLetter.DELIVERY_FAILED);
        assertThat(header(gaveUp, DeadLetter.ATTEMPTS)).isEqualTo("30");
        assertThat(header(gaveUp, DeadLetter.DETAIL)).startsWith("gave up after 30 attempts").contains("HTTP 503");
        assertThat(header(gaveUp, DeadLetter.ORIGIN_TOPIC)).isEqualTo(Topics.ALERTS.name());
        assertThat(Topics.ALERTS.valueSerde().deserializer().deserialize("", gaveUp.value())).isEqualTo(r);
        assertThat(broken.requests()).hasSize(30);

        ConsumerRecord<String, byte[]> refused = byChannel.get("refusing");
        assertThat(header(refused, DeadLetter.ATTEMPTS)).isEqualTo("1");
        assertThat(header(refused, DeadLetter.DETAIL)).startsWith("refused: HTTP 400");
        assertThat(refusing.requests()).hasSize(1);

        Poll.until("failures in /deliveries", WAIT,
                () -> deliveries("?device=dead-1&outcome=DEAD_LETTERED").get("recent").size() == 2);
        assertThat(get("/observe/metrics")).contains("notifier_failed").contains("channel=\"broken\"");
    }

    @Test
    void flappingTransitionsWithinTheMinimumIntervalAreSuppressed() {
        Alert first = raised("flap-1", T0);
        Alert firstEnd = cleared("flap-1", T0, T0.plusSeconds(60));
        Alert flapping = raised("flap-1", T0.plusSeconds(120));
        Alert flappingEnd = cleared("flap-1", T0.plusSeconds(120), T0.plusSeconds(180));
        Alert later = raised("flap-1", T0.plusSeconds(11 * 60));
        List.of(first, firstEnd, flapping, flappingEnd, later).forEach(kafka::alert);
        Poll.until("the RAISED after the interval", WAIT, () -> keys(flap).contains(Transition.idempotencyKey(later)));

        // One partition, one lane: had the flapping pair been sent it would have arrived before `later`.
        assertThat(keys(flap)).containsExactly(Transition.idempotencyKey(first), Transition.idempotencyKey(firstEnd),
                Transition.idempotencyKey(later));
        Poll.until("suppressions in /deliveries", WAIT,
                () -> deliveries("?device=flap-1&outcome=SUPPRESSED").get("recent").size() == 2);
        JsonNode suppressed = deliveries("?device=flap-1&outcome=SUPPRESSED").get("recent");
        assertThat(suppressed.get(1).get("reason").asText()).startsWith("flapping: less than 10m");
        assertThat(suppressed.get(0).get("reason").asText()).startsWith("its RAISED was suppressed");
    }

    @Test
    void quietHoursInTheRoutesTimeZoneHoldBackTransitions() {
        // 21:30 UTC is 22:30 in Zurich: inside 22:00-07:00 there.
        Alert atNight = raised("quiet-1", Instant.parse("2026-11-20T21:30:00Z"));
        Alert atNoon = raised("quiet-1", Instant.parse("2026-11-21T11:00:00Z"));
        kafka.alert(atNight);
        kafka.alert(atNoon);
        Poll.until("the daytime transition", WAIT, () -> keys(quiet).contains(Transition.idempotencyKey(atNoon)));
        assertThat(keys(quiet)).containsExactly(Transition.idempotencyKey(atNoon));
        Poll.until("the suppression in /deliveries", WAIT, () -> deliveries("?device=quiet-1&outcome=SUPPRESSED").get("recent").size() == 1);
        assertThat(deliveries("?device=quiet-1&outcome=SUPPRESSED").get("recent").get(0).get("reason").asText())
                .isEqualTo("quiet hours 22:00-07:00 Europe/Zurich");
    }

    @Test
    void routesBySiteFromTheDeviceRegistry() {
        kafka.alert(raised("g2", T0));
        kafka.alert(raised("g1", T0));
        Poll.until("the garage device's transition", WAIT, () -> site.accepted().size() == 1);
        assertThat(site.accepted().getFirst().text()).contains("\"device_id\":\"g1\"", "\"site\":\"garage\"", "\"device_name\":\"Charger G1\"");
        // g2 is in the office: its transition had been consumed first and went nowhere.
        Poll.until("g1's outcome in the log", WAIT, () -> deliveries("?device=g1").get("recent").size() == 1);
        assertThat(deliveries("?device=g2").get("recent")).isEmpty();
    }

    @Test
    void slowChannelDoesNotHoldBackAnother() {
        kafka.alert(raised("split-1", T0));
        Poll.until("the fast channel's delivery", WAIT, () -> fast.accepted().size() == 1);
        assertThat(slow.requests()).as("the slow receiver still holds its request").isEmpty();
        slowRelease.countDown();
        Poll.until("the slow channel's delivery", WAIT, () -> slow.accepted().size() == 1);
    }

    @Test
    void followsChannelAndRouteChangesWhileRunning() {
        Receiver late = Receiver.started();
        try {
            channel(webhook("late", late));
            route("late", List.of("late"), Set.of("late-1"), null, null, null);
            Poll.until("the new route", WAIT, () -> app.registry().routes().stream().anyMatch(r -> r.id().equals("late"))
                    && app.registry().channel("late") != null);
            kafka.alert(raised("late-1", T0));
            Poll.until("delivery on the new channel", WAIT, () -> late.accepted().size() == 1);

            kafka.entry(NotifyEntry.of(new NotifyChannel("late", NotifyChannel.Type.WEBHOOK, late.url("/late"), SECRET, null, false)));
            Poll.until("the channel disabled", WAIT, () -> !app.registry().channel("late").active());
            kafka.alert(cleared("late-1", T0, T0.plusSeconds(30)));
            Poll.until("the suppression", WAIT, () -> deliveries("?channel=late&outcome=SUPPRESSED").get("recent").size() == 1);
            assertThat(late.requests()).hasSize(1);
        } finally {
            late.close();
        }
    }

    @Test
    void remindsOfAnUnacknowledgedAlertUntilItIsAcknowledgedOrCleared() throws Exception {
        Alert acked = raised("rem-1", T0);
        Alert ended = raised("rem-2", T0);
        String ackedKey = Transition.idempotencyKey(acked);
        String endedKey = Transition.idempotencyKey(ended);
        kafka.alert(acked);
        kafka.alert(ended);
        Poll.until("two reminders of each", WAIT, () -> keys(reminded).containsAll(List.of(
                ackedKey, ackedKey + "-r1", ackedKey + "-r2", endedKey, endedKey + "-r1", endedKey + "-r2")));
        Receiver.Request reminder = reminded.accepted().stream().filter(r -> r.header("Idempotency-Key").equals(ackedKey + "-r1"))
                .findFirst().orElseThrow();
        assertThat(reminder.header("X-Wattstream-Event")).isEqualTo("alert.reminder");
        assertThat(Json.MAPPER.readTree(reminder.body()).get("reminder").asInt()).isEqualTo(1);

        kafka.ack(new AlertAck("rem-1", Alert.Kind.POWER_OVER_THRESHOLD, T0, null, "ops", Instant.now(), "on it"));
        Alert clear = cleared("rem-2", T0, T0.plusSeconds(600));
        kafka.alert(clear);
        Poll.until("the CLEARED delivered", WAIT, () -> keys(reminded).contains(Transition.idempotencyKey(clear)));
        Poll.until("both alerts closed", WAIT, () -> app.reminders().open() == 0);
        // Five more checks (at least 5 x 100 ms, over the 300 ms interval): nothing more is sent.
        long after = reminded.accepted().size();
        long checks = app.reminders().checks();
        Poll.until("five more reminder checks", WAIT, () -> app.reminders().checks() >= checks + 5);
        assertThat(reminded.accepted()).hasSize((int) after);
        List<String> ended2 = keys(reminded).stream().filter(k -> k.startsWith(endedKey) || k.equals(Transition.idempotencyKey(clear))).toList();
        assertThat(ended2.getLast()).as("no reminder after the CLEARED").isEqualTo(Transition.idempotencyKey(clear));
    }

    @Test
    void badDeliveriesQueryGetsAJsonError() throws Exception {
        for (String query : List.of("?limit=0", "?limit=many", "?outcome=LOST")) {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/deliveries" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as(query).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(res.body()).get("error").asText()).contains("limit");
        }
    }

    private static List<String> keys(Receiver r) {
        return r.accepted().stream().map(x -> x.header("Idempotency-Key")).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> dlq(String key) {
        return kafka.readAll(Topics.NOTIFY_DLQ.name()).stream().filter(x -> key.equals(header(x, DeadLetter.IDEMPOTENCY_KEY))).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static JsonNode deliveries(String query) {
        try {
            return Json.MAPPER.readTree(get("/deliveries" + query));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static String get(String path) {
        try {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as("GET %s", path).isEqualTo(200);
            return res.body();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
