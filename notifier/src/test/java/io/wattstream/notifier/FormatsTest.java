package io.wattstream.notifier;

import static io.wattstream.notifier.Alerts.cleared;
import static io.wattstream.notifier.Alerts.raised;
import static io.wattstream.notifier.Alerts.transition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Alert;
import io.wattstream.model.Device;
import io.wattstream.model.Json;
import io.wattstream.model.NotifyChannel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatsTest {

    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void idempotencyKeyIsStablePerTransitionAndDiffersBetweenRaisedAndCleared() {
        String k1 = Transition.idempotencyKey(raised("a", T0));
        assertThat(Transition.idempotencyKey(raised("a", T0))).isEqualTo(k1);
        assertThat(Transition.idempotencyKey(cleared("a", T0, T0.plusSeconds(5)))).isNotEqualTo(k1);
        assertThat(Transition.idempotencyKey(raised("a", T0.plusMillis(1)))).isNotEqualTo(k1);
        assertThat(Transition.idempotencyKey(raised("b", T0))).isNotEqualTo(k1);
        assertThat(k1).matches("[0-9a-f]{32}");
    }

    @Test
    void twoDeviceErrorsStartingTogetherHaveTheirOwnKeys() {
        Alert overtemp = new Alert("a", Alert.Kind.DEVICE_ERROR, Alert.State.RAISED, null, null, null, T0, null, null, "overtemp");
        Alert overpower = new Alert("a", Alert.Kind.DEVICE_ERROR, Alert.State.RAISED, null, null, null, T0, null, null, "overpower");
        assertThat(Transition.idempotencyKey(overtemp)).isNotEqualTo(Transition.idempotencyKey(overpower));
        Transition t = transition(overtemp);
        assertThat(AlertText.title(t)).isEqualTo("Device error: a");
        assertThat(AlertText.body(t)).contains("Detail: overtemp");
    }

    @Test
    void counterResetEventReadsAsAnEvent() {
        Alert reset = new Alert("a", Alert.Kind.COUNTER_RESET, Alert.State.EVENT, null, null, null, T0, T0, null, "1200 -> 3 Wh");
        Transition t = transition(reset);
        assertThat(HttpSender.event(t)).isEqualTo("alert.event");
        assertThat(AlertText.title(t)).isEqualTo("Energy counter reset: a");
    }

    @Test
    void webhookBodyCarriesTheAlertTheDeviceAndTheSignedTime() throws Exception {
        NotifyChannel c = new NotifyChannel("hook", NotifyChannel.Type.WEBHOOK, "http://x.test", "0123456789abcdef", null, null);
        Transition t = transition(raised("a", T0), new Device("a", "Charger A", "garage", 4000.0));
        JsonNode body = Json.MAPPER.valueToTree(HttpSender.WebhookBody.of(c, t, T0.plusSeconds(3)));
        assertThat(body.get("event").asText()).isEqualTo("alert.raised");
        assertThat(body.get("idempotency_key").asText()).isEqualTo(t.idempotencyKey());
        assertThat(body.get("sent_at").asText()).isEqualTo("2026-11-20T12:00:03Z");
        assertThat(body.get("device_name").asText()).isEqualTo("Charger A");
        assertThat(body.get("site").asText()).isEqualTo("garage");
        assertThat(body.get("power_w").asDouble()).isEqualTo(4300.0);
        assertThat(body.get("started_at").asText()).isEqualTo("2026-11-20T12:00:00Z");
    }

    @Test
    void signatureIsHexHmacSha256OfTheBody() {
        // RFC 4231 test case 2.
        assertThat(Signatures.sign("Jefe", "what do ya want for nothing?".getBytes()))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void textNamesTheDeviceSiteAndValues() {
        Transition t = transition(cleared("a", T0, T0.plusSeconds(330)), new Device("a", "Charger A", "garage", null));
        assertThat(AlertText.title(t)).isEqualTo("Power back under threshold: Charger A (garage)");
        assertThat(AlertText.body(t)).contains("Device: a (Charger A)", "Site: garage", "Peak: 4400 W", "after 5 min 30 s");
    }

    @Test
    void slackTextEscapesItsControlCharacters() {
        Transition t = transition(raised("a<b>&c", T0));
        assertThat(HttpSender.slackText(t)).contains("a&lt;b&gt;&amp;c").doesNotContain("<b>");
    }

    @Test
    void nonAsciiHeaderTextIsEncoded() {
        assertThat(HttpSender.headerText("Garage")).isEqualTo("Garage");
        assertThat(HttpSender.headerText("Garáž")).startsWith("=?UTF-8?B?").endsWith("?=");
    }
}
