package io.wattstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertKeyTest {

    static final Instant T = Instant.parse("2026-11-20T09:00:00.123456Z");

    @Test
    void anIdDecodesToTheSameKeyAndIsUrlSafe() {
        AlertKey key = new AlertKey("shellypro1pm-a8:1", Alert.Kind.DEVICE_ERROR, T, "overtemp, \"hot\"/é");
        String id = key.id();
        assertThat(id).matches("[A-Za-z0-9_-]+");
        assertThat(AlertKey.parse(id)).isEqualTo(key);
    }

    @Test
    void theSameAlertHasTheSameIdWhateverSpellingItsTimeCameIn() {
        Alert raised = new Alert("ev-1", Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.RAISED, 3500.0, 3600.0, 3600.0,
                Instant.parse("2026-11-20T09:00:00.100Z"), null, null);
        AlertKey fromDb = new AlertKey("ev-1", Alert.Kind.POWER_OVER_THRESHOLD, Instant.parse("2026-11-20T09:00:00.100000Z"), null);
        assertThat(AlertKey.of(raised).id()).isEqualTo(fromDb.id());
        assertThat(new AlertKey("ev-1", Alert.Kind.POWER_OVER_THRESHOLD, T, "a").id())
                .isNotEqualTo(new AlertKey("ev-1", Alert.Kind.POWER_OVER_THRESHOLD, T, "b").id());
    }

    @Test
    void anAcknowledgementNamesItsAlert() {
        AlertAck ack = new AlertAck("ev-1", Alert.Kind.DEVICE_OFFLINE, T, null, "ops", T.plusSeconds(60), null);
        assertThat(ack.detail()).isEmpty();
        assertThat(ack.alert()).isEqualTo(new AlertKey("ev-1", Alert.Kind.DEVICE_OFFLINE, T, ""));
    }

    @Test
    void rejectsWhatIsNoAlertId() {
        for (String bad : new String[] {"", "%%%", "bm90IGFuIGlk", new AlertKey("ev-1", Alert.Kind.DEVICE_OFFLINE, T, "").id() + "A",
                java.util.Base64.getUrlEncoder().encodeToString("ev 1\nDEVICE_OFFLINE\n2026-11-20T09:00:00Z\n".getBytes()),
                java.util.Base64.getUrlEncoder().encodeToString("ev-1\nNO_KIND\n2026-11-20T09:00:00Z\n".getBytes()),
                java.util.Base64.getUrlEncoder().encodeToString("ev-1\nDEVICE_OFFLINE\nyesterday\n".getBytes())}) {
            assertThatThrownBy(() -> AlertKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not an alert id");
        }
        assertThatThrownBy(() -> AlertKey.parse(null)).hasMessage("not an alert id");
    }
}
