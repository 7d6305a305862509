package io.wattstream.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.RawReading.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import io.wattstream.gateway.DeviceTokens;
import io.wattstream.gateway.Rejection;
import io.wattstream.gateway.readings.WebhookParser;
import io.wattstream.gateway.readings.WebhookParserTest;
import io.wattstream.gateway.readings.WebhookRequest;

/** The outbound WebSocket's pure parts: frame reading, answers, rate, polls, the token check on connect. */
class ShellyWsFramesTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Supplier<Instant> CLOCK = () -> NOW;
    private static final String DEVICE = "shellypro1pm-a8032ab1c2d3";
    private final WebhookParser parser = new WebhookParser();

    private static JsonNode frame(String text) {
        return WebhookParser.readFrame(text);
    }

    @Test
    void readsANotifyFrameIntoTheSameReadingsAsTheWebhook() {
        String text = new String(WebhookParserTest.sample("notify-full-status-pro4pm.json"), StandardCharsets.UTF_8);
        List<RawReading> fromSocket = parser.notification(frame(text), CLOCK);
        List<RawReading> fromWebhook = parser.parse(WebhookRequest.post("application/json",
                text.getBytes(StandardCharsets.UTF_8)), CLOCK);
        assertThat(fromSocket).hasSize(4).isEqualTo(fromWebhook);
    }

    @Test
    void aNotifyStatusOfOtherComponentsCarriesNoReading() {
        assertThat(parser.notification(frame("{\"src\":\"" + DEVICE + "\",\"method\":\"NotifyStatus\","
                + "\"params\":{\"ts\":1763629263.1,\"wifi\":{\"rssi\":-61},\"sys\":{\"uptime\":5}}}"), CLOCK)).isEmpty();
        assertThat(parser.notification(frame("{\"src\":\"" + DEVICE + "\",\"method\":\"NotifyStatus\","
                + "\"params\":{\"switch:0\":{\"id\":0,\"source\":\"timer\"}}}"), CLOCK)).isEmpty();
    }

    @Test
    void stillRefusesASwitchOfTheWrongShapeInANotifyStatus() {
        assertThatThrownBy(() -> parser.notification(frame("{\"src\":\"" + DEVICE + "\",\"method\":\"NotifyStatus\","
                + "\"params\":{\"switch:0\":\"on\"}}"), CLOCK))
                .isInstanceOf(Rejection.class).hasMessageContaining("'params.switch:0' must be an object");
    }

    @Test
    void readsASwitchGetStatusAnswerAsAFullStatusAtItsReceiveTime() {
        JsonNode result = frame("{\"id\":1,\"output\":true,\"apower\":12.5,\"voltage\":230.1,\"current\":0.1,"
                + "\"aenergy\":{\"total\":77.5}}");
        RawReading r = parser.switchResult(DEVICE, 1, result, CLOCK).get(0);
        assertThat(r.deviceId()).isEqualTo(DEVICE + ":1");
        assertThat(r.source()).isEqualTo(Source.SWITCH_STATUS);
        assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).containsExactly(12.5, 230.1, 0.1, 77.5);
        assertThat(r.timestamp()).isEqualTo(NOW);
        assertThat(r.deviceTime()).isFalse();
        assertThatThrownBy(() -> parser.switchResult(DEVICE, 0, frame("{\"apower\":1}"), CLOCK))
                .isInstanceOf(Rejection.class).hasMessageContaining("'switch:0.voltage' is required");
    }

    @Test
    void answersAnErrorInTheDevicesFramingEchoingTheId() throws Exception {
        JsonNode answer = Json.MAPPER.readTree(RpcFrames.error(IntNode.valueOf(7), DEVICE, WsReason.UNKNOWN_METHOD, "no"));
        assertThat(answer.get("id").asInt()).isEqualTo(7);
        assertThat(answer.get("src").asText()).isEqualTo("wattstream");
        assertThat(answer.get("dst").asText()).isEqualTo(DEVICE);
        assertThat(answer.get("error").get("code").asInt()).isEqualTo(-32601);
        assertThat(answer.get("error").get("data").get("reason").asText()).isEqualTo("unknown_method");
        JsonNode toANotification = Json.MAPPER.readTree(RpcFrames.error(null, null, WsReason.MALFORMED_JSON, "bad"));
        assertThat(toANotification.get("id").isNull()).isTrue();
        assertThat(toANotification.has("dst")).isFalse();
        assertThat(toANotification.get("error").get("code").asInt()).isEqualTo(-32700);
    }

    @Test
    void cutsACloseReasonToWhatAControlFrameHolds() {
        String reason = RpcFrames.closeReason("é".repeat(200));
        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(reason).endsWith("...").startsWith("éé");
        assertThat(RpcFrames.closeReason("short")).isEqualTo("short");
    }

    @Test
    void allowsABurstOfOneSecondThenTheSustainedRate() {
        long t = 0;
        FrameRate rate = new FrameRate(5, t);
        for (int i = 0; i < 5; i++) {
            assertThat(rate.tryAcquire(t)).as("frame %d of the burst", i).isTrue();
        }
        assertThat(rate.tryAcquire(t)).isFalse();
        t += Duration.ofMillis(200).toNanos(); // a fifth of a second: one more frame
        assertThat(rate.tryAcquire(t)).isTrue();
        assertThat(rate.tryAcquire(t)).isFalse();
        t += Duration.ofSeconds(10).toNanos(); // a long pause refills a second's worth, no more
        int taken = 0;
        while (rate.tryAcquire(t)) {
            taken++;
        }
        assertThat(taken).isEqualTo(5);
    }

    @Test
    void pollsADeviceAtItsOwnIntervalOrTheDefaultForEveryDevice() {
        StatusPolls polls = StatusPolls.parse(DEVICE + "=30s, *=5m", ShellyWsFramesTest::seconds);
        assertThat(polls.intervalFor(DEVICE)).hasValue(Duration.ofSeconds(30));
        assertThat(polls.intervalFor("other")).hasValue(Duration.ofMinutes(5));
        assertThat(StatusPolls.parse(DEVICE + "=30s", ShellyWsFramesTest::seconds).intervalFor("other")).isEmpty();
        assertThat(StatusPolls.parse("", ShellyWsFramesTest::seconds).enabled()).isFalse();
    }

    @Test
    void refusesAPollEntryThatIsNotDeviceEqualsInterval() {
        assertThatThrownBy(() -> StatusPolls.parse("no spaces=30s", ShellyWsFramesTest::seconds))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device=interval");
        assertThatThrownBy(() -> StatusPolls.parse(DEVICE, ShellyWsFramesTest::seconds))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device=interval");
        assertThatThrownBy(() -> StatusPolls.parse(DEVICE + "=0s", ShellyWsFramesTest::seconds))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1s");
        assertThatThrownBy(() -> StatusPolls.parse(DEVICE + "=soon", ShellyWsFramesTest::seconds))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DEVICE);
    }

    @Test
    void knowsAnyDevicesTokenOnConnectAndNothingElse() {
        DeviceTokens tokens = DeviceTokens.parse("meter-1:s3cret,meter-2:other");
        assertThat(tokens.knows(Optional.of("other"))).isTrue();
        assertThat(tokens.knows(Optional.of("wrong"))).isFalse();
        assertThat(tokens.knows(Optional.empty())).isFalse();
        assertThat(DeviceTokens.none().knows(Optional.empty())).as("tokens off: every device").isTrue();
    }

    @Test
    void refusesBoundsThatWouldCloseEveryConnection() {
        assertThatThrownBy(() -> new ShellyWsSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 65536, 20,
                StatusPolls.none())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than the ping interval");
    }

    private static Duration seconds(String text) {
        if (!text.endsWith("s") && !text.endsWith("m")) {
            throw new IllegalArgumentException("needs a unit");
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return text.endsWith("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    }
}
