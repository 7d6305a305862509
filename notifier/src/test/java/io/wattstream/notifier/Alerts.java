package io.wattstream.notifier;

import io.wattstream.model.Alert;
import io.wattstream.model.Device;
import java.time.Instant;

/** Alert transitions for tests. */
final class Alerts {

    static Alert raised(String device, Instant start) {
        return new Alert(device, Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.RAISED, 4000.0, 4300.0, 4300.0, start, null, null);
    }

    static Alert cleared(String device, Instant start, Instant end) {
        return new Alert(device, Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.CLEARED, 4000.0, 3900.0, 4400.0, start, end,
                (double) java.time.Duration.between(start, end).toSeconds());
    }

    static Alert offline(String device, Instant start) {
        return new Alert(device, Alert.Kind.DEVICE_OFFLINE, Alert.State.RAISED, null, null, null, start, null, null);
    }

    static Transition transition(Alert a, Device device) {
        return Transition.of(a, device, a.startedAt(), "shelly.alerts", 0, 0, new byte[0]);
    }

    static Transition transition(Alert a) {
        return transition(a, null);
    }

    private Alerts() {
    }
}
