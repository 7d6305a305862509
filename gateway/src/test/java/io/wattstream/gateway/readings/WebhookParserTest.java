package io.wattstream.gateway.readings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wattstream.model.RawReading;
import io.wattstream.model.RawReading.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;

public class WebhookParserTest {

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00.000001Z");

    private final WebhookParser parser = new WebhookParser();

    /** Each microsecond after NOW, so every reading's received_at is known and distinct. */
    private static Supplier<Instant> ticking() {
        long[] n = {0};
        return () -> NOW.plusNanos(1_000 * n[0]++);
    }

    private List<RawReading> parse(WebhookRequest request) {
        return parser.parse(request, ticking());
    }

    private RawReading parseOne(WebhookRequest request) {
        List<RawReading> readings = parse(request);
        assertThat(readings).hasSize(1);
        return readings.get(0);
    }

    // ---- accepted shapes, one per sample file ----

    @Test
    void acceptsFlatPostOfThePrototypeForTheDefaultDevice() {
        RawReading r = parseOne(WebhookRequest.post(JSON, sample("flat-post.json")));
        assertThat(r.deviceId()).isEqualTo("default");
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).containsExactly(120.5, 230.1, 0.52, 10.2);
        assertThat(r.source()).isEqualTo(Source.FLAT_POST);
        assertThat(r.receivedAt()).isEqualTo(NOW);
        assertThat(r.timestamp()).as("no device time: timestamp is received_at").isEqualTo(NOW);
        assertThat(r.deviceTime()).isFalse();
        assertThat(r.partial()).isFalse();
    }

    @Test
    void acceptsFlatGetOfThePrototype() {
        RawReading r = parseOne(getSample("flat-get.txt"));
        assertThat(r.source()).isEqualTo(Source.FLAT_GET);
        assertThat(r.deviceId()).isEqualTo("default");
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).containsExactly(100.3, 230.0, 0.43, 8.9);
        assertThat(r.deviceTime()).isFalse();
    }

    @Test
    void acceptsFlatPostWithDeviceIdAndIsoTimestamp() {
        RawReading r = parseOne(WebhookRequest.post(JSON, sample("flat-post-device.json")));
        assertThat(r.deviceId()).isEqualTo("shellypro1pm-a8032ab1c2d3");
        assertThat(r.power()).isEqualTo(3612.4);
        assertThat(r.energy()).isEqualTo(152334.8);
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
        assertThat(r.deviceTime()).isTrue();
        assertThat(r.receivedAt()).isEqualTo(NOW);
    }

    @Test
    void acceptsShellyActionUrlWithApowerDeviceAndUnixSeconds() {
        RawReading r = parseOne(getSample("shelly-action-url.txt"));
        assertThat(r.source()).isEqualTo(Source.SHELLY_ACTION);
        assertThat(r.deviceId()).isEqualTo("shellypro1pm-a8032ab1c2d3");
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).containsExactly(3598.2, 229.8, 15.66, 152401.113);
        assertThat(r.timestamp()).isEqualTo(Instant.ofEpochSecond(1763629260));
        assertThat(r.deviceTime()).isTrue();
    }

    @Test
    void acceptsFullSwitchStatusWithExactFractionalSeconds() {
        RawReading r = parseOne(WebhookRequest.post(JSON, sample("switch-status-post.json")));
        assertThat(r.source()).isEqualTo(Source.SWITCH_STATUS);
        assertThat(r.deviceId()).isEqualTo("shellypro1pm-a8032ab1c2d3");
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).containsExactly(3598.2, 229.8, 15.66, 152401.113);
        assertThat(List.of(r.freq(), r.pf(), r.temperatureC())).containsExactly(50.0, 0.99, 47.9);
        assertThat(r.output()).isTrue();
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2025-11-20T09:01:00.410Z"));
        assertThat(r.partial()).isFalse();
    }

    @Test
    void acceptsNotifyStatusAsAPartialReading() {
        RawReading r = parseOne(WebhookRequest.post(JSON, sample("notify-status.json")));
        assertThat(r.source()).isEqualTo(Source.NOTIFY_STATUS);
        assertThat(r.partial()).isTrue();
        assertThat(r.power()).isEqualTo(3604.9);
        assertThat(r.current()).isEqualTo(15.69);
        assertThat(r.voltage()).isNull();
        assertThat(r.energy()).isNull();
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2025-11-20T09:01:01.070Z"));
        assertThat(r.deviceTime()).isTrue();
    }

    @Test
    void acceptsNotifyFullStatus() {
        RawReading r = parseOne(WebhookRequest.post(JSON, sample("notify-full-status.json")));
        assertThat(r.source()).isEqualTo(Source.NOTIFY_FULL_STATUS);
        assertThat(r.partial()).isFalse();
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).containsExactly(3590.0, 230.2, 15.61, 152341.0);
        assertThat(r.temperatureC()).isEqualTo(47.5);
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2025-11-20T09:00:00.020Z"));
    }

    @Test
    void acceptsFormEncodedPost() {
        RawReading r = parseOne(WebhookRequest.post(FORM + "; charset=UTF-8",
                bytes("power=12.5&voltage=231&current=0.05&energy=7&device_id=plug-1&ts=1763629260.5")));
        assertThat(r.source()).isEqualTo(Source.FLAT_FORM);
        assertThat(r.deviceId()).isEqualTo("plug-1");
        assertThat(r.power()).isEqualTo(12.5);
        assertThat(r.timestamp()).isEqualTo(Instant.parse("2025-11-20T09:01:00.500Z"));
    }

    @Test
    void acceptsNumbersSentAsJsonStrings() {
        RawReading r = parseOne(WebhookRequest.post(JSON,
                bytes("{\"power\": \"120.5\", \"voltage\": \"230.1\", \"current\": \" 0.52 \", \"energy\": \"1e1\"}")));
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).containsExactly(120.5, 230.1, 0.52, 10.0);
    }

    @Test
    void takesTheDeviceFromThePathAndAcceptsItRepeatedInTheBody() {
        RawReading fromPath = parseOne(WebhookRequest.post(JSON, sample("flat-post.json")).withPathDeviceId("meter-7"));
        assertThat(fromPath.deviceId()).isEqualTo("meter-7");
        RawReading both = parseOne(WebhookRequest.post(JSON, sample("flat-post-device.json"))
                .withPathDeviceId("shellypro1pm-a8032ab1c2d3"));
        assertThat(both.deviceId()).isEqualTo("shellypro1pm-a8032ab1c2d3");
    }

    @Test
    void acceptsAPostWithoutBodyThatCarriesTheReadingInItsQuery() {
        RawReading r = parseOne(new WebhookRequest("POST", null, "power=1&voltage=2&current=3&energy=4", null, null));
        assertThat(r.source()).isEqualTo(Source.FLAT_GET);
        assertThat(r.power()).isEqualTo(1.0);
    }

    @Test
    void acceptsABatchAsAWholeWithOneReceivedAtPerReading() {
        List<RawReading> rs = parse(WebhookRequest.post(JSON, bytes("""
                [{"power": 1, "voltage": 230, "current": 0.1, "energy": 5},
                 {"device_id": "b", "power": 2, "voltage": 231, "current": 0.2, "energy": 6, "ts": 1763629260}]""")));
        assertThat(rs).extracting(RawReading::source).containsOnly(Source.FLAT_BATCH);
        assertThat(rs).extracting(RawReading::deviceId).containsExactly("default", "b");
        assertThat(rs.get(0).receivedAt()).isBefore(rs.get(1).receivedAt());
        assertThat(rs.get(1).deviceTime()).isTrue();
    }

    @Test
    void keepsTheDeviceTimeToTheMicrosecond() {
        RawReading iso = parseOne(WebhookRequest.post(JSON, bytes(
                "{\"power\":1,\"voltage\":1,\"current\":1,\"energy\":1,\"timestamp\":\"2026-11-20T10:00:00.1234567+01:00\"}")));
        assertThat(iso.timestamp()).isEqualTo(Instant.parse("2026-11-20T09:00:00.123456Z"));
        RawReading ts = parseOne(WebhookRequest.get("power=1&voltage=1&current=1&energy=1&ts=1763629260.000001"));
        assertThat(ts.timestamp()).isEqualTo(Instant.parse("2025-11-20T09:01:00.000001Z"));
    }

    @Test
    void leavesFutureDeviceTimesToTheStreamProcessor() {
        RawReading r = parseOne(WebhookRequest.get("power=1&voltage=1&current=1&energy=1&ts=4000000000"));
        assertThat(r.timestamp()).isEqualTo(Instant.ofEpochSecond(4_000_000_000L));
    }

    // ---- returned energy, device errors, channels ----

    @Test
    void readsReturnedEnergyFromEveryShapeThatCarriesIt() {
        assertThat(parseOne(WebhookRequest.post(JSON, sample("switch-status-post.json"))).energyReturned()).isEqualTo(0.0);
        assertThat(parse(WebhookRequest.post(JSON, sample("notify-full-status-pro4pm.json"))).get(0).energyReturned())
                .isEqualTo(12.5);
        RawReading partial = parseOne(json("{\"src\": \"a\", \"method\": \"NotifyStatus\", \"params\": {\"ts\": 1763629261,"
                + " \"switch:0\": {\"ret_aenergy\": {\"total\": 3.25}}}}"));
        assertThat(partial.partial()).isTrue();
        assertThat(partial.energyReturned()).isEqualTo(3.25);
        assertThat(parseOne(json("{\"power\": -800, \"voltage\": 230, \"current\": 3.5, \"energy\": 10,"
                + " \"energy_returned\": 42.5}")).energyReturned()).isEqualTo(42.5);
        assertThat(parseOne(WebhookRequest.get("power=-5&voltage=230&current=0.1&energy=1&energy_returned=2")).energyReturned())
                .isEqualTo(2.0);
        assertThat(parseOne(WebhookRequest.post(JSON, sample("notify-full-status.json"))).energyReturned())
                .as("a shape without ret_aenergy").isNull();
    }

    @Test
    void readsTheDeviceErrorFlagsSortedAndDistinct() {
        RawReading r = parseOne(json("{\"src\": \"a\", \"ts\": 1763629260, \"switch:0\": {\"apower\": 1, \"voltage\": 230,"
                + " \"current\": 1, \"aenergy\": {\"total\": 1}, \"errors\": [\"overtemp\", \"overpower\", \"overtemp\"]}}"));
        assertThat(r.errors()).isEqualTo("overpower,overtemp");
        RawReading none = parseOne(json("{\"src\": \"a\", \"ts\": 1763629260, \"switch:0\": {\"apower\": 1, \"voltage\": 230,"
                + " \"current\": 1, \"aenergy\": {\"total\": 1}, \"errors\": []}}"));
        assertThat(none.errors()).as("a full status without errors").isNull();
        RawReading flat = parseOne(WebhookRequest.get("power=1&voltage=230&current=1&energy=1&errors=undervoltage"));
        assertThat(flat.errors()).isEqualTo("undervoltage");
    }

    @Test
    void aPartialWithAnEmptyErrorListSaysTheErrorsAreGone() {
        RawReading r = parseOne(json("{\"src\": \"a\", \"method\": \"NotifyStatus\", \"params\": {\"ts\": 1763629261,"
                + " \"switch:0\": {\"errors\": []}}}"));
        assertThat(r.partial()).isTrue();
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void splitsAMultiChannelStatusIntoOneMeterPerChannel() {
        List<RawReading> rs = parse(WebhookRequest.post(JSON, sample("notify-full-status-pro4pm.json")));
        assertThat(rs).extracting(RawReading::deviceId).containsExactly("shellypro4pm-c8f09e8a1b2c",
                "shellypro4pm-c8f09e8a1b2c:1", "shellypro4pm-c8f09e8a1b2c:2", "shellypro4pm-c8f09e8a1b2c:3");
        assertThat(rs).extracting(RawReading::energy).containsExactly(152341.0, 8000.25, 40210.0, 0.0);
        assertThat(rs).extracting(RawReading::timestamp).containsOnly(Instant.parse("2025-11-20T09:00:00.020Z"));
        assertThat(rs.get(2).errors()).isEqualTo("overpower,overtemp");
        assertThat(rs.get(2).temperatureC()).isEqualTo(91.5);
        assertThat(rs.get(3).energyReturned()).isNull();
        assertThat(rs).extracting(RawReading::receivedAt).doesNotHaveDuplicates();
    }

    @Test
    void aMultiChannelNotifyStatusGivesAPartialForEachChannelThatChanged() {
        List<RawReading> rs = parse(json("{\"src\": \"pro2pm-1\", \"method\": \"NotifyStatus\", \"params\": {\"ts\": 1763629261,"
                + " \"switch:0\": {\"id\": 0}, \"switch:1\": {\"id\": 1, \"apower\": 950.5}}}"));
        assertThat(rs).singleElement().satisfies(r -> {
            assertThat(r.deviceId()).isEqualTo("pro2pm-1:1");
            assertThat(r.partial()).isTrue();
            assertThat(r.power()).isEqualTo(950.5);
        });
        RawReading status = parse(json("{\"src\": \"pro2pm-1\", \"ts\": 1763629260, \"switch:1\": {\"apower\": 1,"
                + " \"voltage\": 230, \"current\": 1, \"aenergy\": {\"total\": 1}}}")).get(0);
        assertThat(status.deviceId()).isEqualTo("pro2pm-1:1");
    }

    @Test
    void rejectsReadingWithNegativeCurrent() {
        assertThatThrownBy(() -> parse(json("{\"power\": -500, \"voltage\": 230, \"current\": -2.2, \"energy\": 5}")))
                .isInstanceOfSatisfying(Rejection.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_BOUNDS);
                    assertThat(e.reason().status().code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("field 'current' is -2.2 A, but it is never negative");
                });
    }

    // ---- rejected input: every class of bad input, with the field named ----

    static Stream<Arguments> rejected() {
        String ok = "\"voltage\": 230, \"current\": 1, \"energy\": 5";
        return Stream.of(
                bad("sample bad-missing-fields", WebhookRequest.post(JSON, sample("bad-missing-fields.txt")),
                        Reason.MISSING_FIELD, "'current'"),
                bad("sample bad-nan-query", getSample("bad-nan-query.txt"), Reason.INVALID_VALUE, "'power' must be a finite"),
                bad("sample bad-non-numeric", WebhookRequest.post(JSON, sample("bad-non-numeric.txt")),
                        Reason.INVALID_VALUE, "'power' must be a number"),
                bad("sample bad-not-an-object", WebhookRequest.post(JSON, sample("bad-not-an-object.txt")),
                        Reason.NOT_A_READING, "element [0]"),
                bad("sample bad-truncated-json", WebhookRequest.post(JSON, sample("bad-truncated-json.txt")),
                        Reason.MALFORMED_BODY, "malformed JSON"),
                bad("sample shelly-action-unsubstituted", getSample("shelly-action-unsubstituted.txt"),
                        Reason.UNSUBSTITUTED_TOKEN, "'apower' holds '${status[\"switch:0\"].apower}'"),
                bad("JSON string that is not an object", json("\"power\""), Reason.NOT_A_READING, "JSON object"),
                bad("empty JSON body", WebhookRequest.post(JSON, new byte[0]), Reason.MALFORMED_BODY, "empty"),
                bad("trailing garbage after the object", json("{\"power\": 1, " + ok + "} x"), Reason.MALFORMED_BODY, "malformed"),
                bad("duplicate JSON key", json("{\"power\": 1, \"power\": 2, " + ok + "}"), Reason.MALFORMED_BODY, "power"),
                bad("JSON NaN literal", json("{\"power\": NaN, " + ok + "}"), Reason.MALFORMED_BODY, "malformed"),
                bad("infinite number", json("{\"power\": 1e400, " + ok + "}"), Reason.INVALID_VALUE, "'power' must be a finite"),
                bad("Infinity as a string", json("{\"power\": \"-Infinity\", " + ok + "}"), Reason.INVALID_VALUE, "'power' must be a finite"),
                bad("hex float string", json("{\"power\": \"0x1p3\", " + ok + "}"), Reason.INVALID_VALUE, "'power' must be a number"),
                bad("boolean as a number", json("{\"power\": true, " + ok + "}"), Reason.INVALID_VALUE, "'power' must be a number"),
                bad("null power", json("{\"power\": null, " + ok + "}"), Reason.MISSING_FIELD, "'power'"),
                bad("power above bounds", json("{\"power\": 250000, " + ok + "}"), Reason.OUT_OF_BOUNDS, "'power' is 250000.0 W"),
                bad("negative voltage", json("{\"power\": 1, \"voltage\": -1, \"current\": 1, \"energy\": 5}"),
                        Reason.OUT_OF_BOUNDS, "field 'voltage' is -1.0 V, but it is never negative"),
                bad("negative current in a switch status", json("{\"src\": \"a\", \"switch:0\": {\"apower\": -1,"
                        + " \"voltage\": 230, \"current\": -0.5, \"aenergy\": {\"total\": 1}}}"), Reason.OUT_OF_BOUNDS,
                        "field 'current' is -0.5 A, but it is never negative"),
                bad("negative returned energy", json("{\"power\": 1, \"energy_returned\": -3, " + ok + "}"),
                        Reason.OUT_OF_BOUNDS, "'energy_returned'"),
                bad("errors not a list", json("{\"power\": 1, \"errors\": 5, " + ok + "}"), Reason.INVALID_VALUE,
                        "'errors' must be a list"),
                bad("an error that is not a name", json("{\"src\": \"a\", \"switch:0\": {\"apower\": 1, \"voltage\": 230,"
                        + " \"current\": 1, \"aenergy\": {\"total\": 1}, \"errors\": [\"over temp!\"]}}"),
                        Reason.INVALID_VALUE, "'switch:0.errors'"),
                bad("ret_aenergy not an object", json("{\"src\": \"a\", \"switch:0\": {\"apower\": 1, \"voltage\": 230,"
                        + " \"current\": 1, \"aenergy\": {\"total\": 1}, \"ret_aenergy\": 4}}"),
                        Reason.INVALID_VALUE, "'switch:0.ret_aenergy' must be an object"),
                bad("power factor above 1", json("{\"power\": 1, \"pf\": 1.5, " + ok + "}"), Reason.OUT_OF_BOUNDS, "'pf'"),
                bad("temperature out of range", json("{\"power\": 1, \"temperature_c\": 900, " + ok + "}"),
                        Reason.OUT_OF_BOUNDS, "'temperature_c'"),
                bad("output not a boolean", json("{\"power\": 1, \"output\": \"maybe\", " + ok + "}"),
                        Reason.INVALID_VALUE, "'output'"),
                bad("power and apower both given", json("{\"power\": 1, \"apower\": 1, " + ok + "}"),
                        Reason.INVALID_VALUE, "'power' and 'apower'"),
                bad("device id too long", json("{\"device_id\": \"" + "x".repeat(65) + "\", \"power\": 1, " + ok + "}"),
                        Reason.INVALID_DEVICE_ID, "'device_id' must be 1-64"),
                bad("device id with a space", WebhookRequest.get("device=a%20b&power=1&voltage=1&current=1&energy=1"),
                        Reason.INVALID_DEVICE_ID, "'device'"),
                bad("device id with an unsubstituted token", WebhookRequest.get(
                        "device=%24%7Bconfig.name%7D&power=1&voltage=1&current=1&energy=1"), Reason.UNSUBSTITUTED_TOKEN, "'device'"),
                bad("path and body name different devices", json("{\"device_id\": \"a\", \"power\": 1, " + ok + "}")
                        .withPathDeviceId("b"), Reason.INVALID_DEVICE_ID, "the path"),
                bad("device id not a string", json("{\"device_id\": 7, \"power\": 1, " + ok + "}"),
                        Reason.INVALID_VALUE, "'device_id' must be a string"),
                bad("timestamp not ISO-8601", json("{\"power\": 1, \"timestamp\": \"yesterday\", " + ok + "}"),
                        Reason.INVALID_TIMESTAMP, "'timestamp' must be an ISO-8601"),
                bad("timestamp without a zone", json("{\"power\": 1, \"timestamp\": \"2026-11-20T09:00:00\", " + ok + "}"),
                        Reason.INVALID_TIMESTAMP, "'timestamp'"),
                bad("timestamp as a number", json("{\"power\": 1, \"timestamp\": 1763629260, " + ok + "}"),
                        Reason.INVALID_TIMESTAMP, "'timestamp'"),
                bad("ts in milliseconds", WebhookRequest.get("power=1&voltage=1&current=1&energy=1&ts=1763629260000"),
                        Reason.INVALID_TIMESTAMP, "milliseconds"),
                bad("ts before 2000", WebhookRequest.get("power=1&voltage=1&current=1&energy=1&ts=86400"),
                        Reason.INVALID_TIMESTAMP, "'ts'"),
                bad("ts not a number", WebhookRequest.get("power=1&voltage=1&current=1&energy=1&ts=now"),
                        Reason.INVALID_TIMESTAMP, "'ts' must be unix seconds"),
                bad("timestamp and ts both given", json("{\"power\": 1, \"timestamp\": \"2026-11-20T09:00:00Z\", \"ts\": 1763629260, "
                        + ok + "}"), Reason.INVALID_VALUE, "'timestamp' and 'ts'"),
                bad("query parameter given twice", WebhookRequest.get("power=1&power=2&voltage=1&current=1&energy=1"),
                        Reason.MALFORMED_BODY, "'power' is given more than once"),
                bad("broken percent-encoding", WebhookRequest.get("power=%zz&voltage=1&current=1&energy=1"),
                        Reason.MALFORMED_BODY, "percent-encoding"),
                bad("empty query", WebhookRequest.get(null), Reason.MISSING_FIELD, "'power'"),
                bad("batch with one bad element", json("[{\"power\": 1, " + ok + "}, {\"power\": \"x\", " + ok + "}]"),
                        Reason.INVALID_VALUE, "element [1]: field 'power'"),
                bad("batch element out of bounds", json("[{\"power\": 1, " + ok + "}, {\"power\": -1e9, " + ok + "}]"),
                        Reason.OUT_OF_BOUNDS, "element [1]: field 'power'"),
                bad("empty batch", json("[]"), Reason.NOT_A_READING, "empty"),
                bad("Shelly frame inside a batch", WebhookRequest.post(JSON, bytes("[" + new String(sample("notify-status.json"),
                        StandardCharsets.UTF_8) + "]")), Reason.NOT_A_READING, "element [0]"),
                bad("notification without a reading", json("{\"src\": \"a\", \"method\": \"NotifyEvent\", \"params\": {\"ts\": 1763629260}}"),
                        Reason.NOT_A_READING, "'method'"),
                bad("NotifyStatus without switch:0", json("{\"src\": \"a\", \"method\": \"NotifyStatus\", \"params\": {\"ts\": 1763629260, \"sys\": {}}}"),
                        Reason.NOT_A_READING, "'params.switch:0'"),
                bad("NotifyStatus without any reading field", json("{\"src\": \"a\", \"method\": \"NotifyStatus\", \"params\": {\"switch:0\": {\"id\": 0}}}"),
                        Reason.NOT_A_READING, "'params.switch:0'"),
                bad("NotifyFullStatus missing voltage", json("{\"src\": \"a\", \"method\": \"NotifyFullStatus\", \"params\": {\"switch:0\": "
                        + "{\"apower\": 1, \"current\": 1, \"aenergy\": {\"total\": 1}}}}"), Reason.MISSING_FIELD, "'params.switch:0.voltage'"),
                bad("switch status without aenergy", json("{\"src\": \"a\", \"ts\": 1763629260, \"switch:0\": "
                        + "{\"apower\": 1, \"voltage\": 230, \"current\": 1}}"), Reason.MISSING_FIELD, "'switch:0.aenergy.total'"),
                bad("switch status with a bad ts", json("{\"src\": \"a\", \"ts\": \"soon\", \"switch:0\": "
                        + "{\"apower\": 1, \"voltage\": 230, \"current\": 1, \"aenergy\": {\"total\": 1}}}"), Reason.INVALID_TIMESTAMP, "'ts'"),
                bad("switch:0 not an object", json("{\"src\": \"a\", \"switch:0\": 5}"), Reason.NOT_A_READING, "'switch:0'"),
                bad("text/plain body", WebhookRequest.post("text/plain", bytes("power=1")), Reason.UNSUPPORTED_MEDIA_TYPE, "text/plain"),
                bad("body without Content-Type", WebhookRequest.post(null, sample("flat-post.json")),
                        Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type"),
                bad("JSON sent as form data", WebhookRequest.post(FORM, sample("flat-post.json")),
                        Reason.UNSUPPORTED_MEDIA_TYPE, "application/json"),
                bad("form with an unsubstituted token", WebhookRequest.post(FORM,
                        bytes("power=1&voltage=%24%7Bstatus.voltage%7D&current=1&energy=1")), Reason.UNSUBSTITUTED_TOKEN, "'voltage'"),
                bad("PUT", new WebhookRequest("PUT", null, null, JSON, sample("flat-post.json")),
                        Reason.METHOD_NOT_ALLOWED, "PUT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsBadInputNamingTheField(WebhookRequest request, Reason reason, String inMessage) {
        assertThatThrownBy(() -> parse(request))
                .isInstanceOfSatisfying(Rejection.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(inMessage);
                });
    }

    @Test
    void rejectsReadingWithUnsubstitutedShellyToken() {
        assertThatThrownBy(() -> parse(getSample("shelly-action-unsubstituted.txt")))
                .isInstanceOfSatisfying(Rejection.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUBSTITUTED_TOKEN));
    }

    private static Arguments bad(String name, WebhookRequest request, Reason reason, String inMessage) {
        return Arguments.of(Named.of(name, request), reason, inMessage);
    }

    private static WebhookRequest json(String body) {
        return WebhookRequest.post(JSON, bytes(body));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] sample(String name) {
        try (InputStream in = WebhookParserTest.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample that is a request line like {@code /webhook/?power=...}: a GET with that query. */
    static WebhookRequest getSample(String name) {
        String target = new String(sample(name), StandardCharsets.UTF_8).trim();
        return WebhookRequest.get(target.substring(target.indexOf('?') + 1));
    }
}
