package io.wattstream.notifier;

import io.wattstream.model.Alert;
import java.time.Duration;
import java.util.Locale;

/** The human-readable title and body shared by the ntfy, Slack and e-mail formats. */
final class AlertText {

    static String title(Transition t) {
        boolean on = !t.cleared();
        String what = switch (t.alert().kind()) {
            case POWER_OVER_THRESHOLD -> on ? "Power over threshold" : "Power back under threshold";
            case DEVICE_OFFLINE -> on ? "Device offline" : "Device back online";
            case DEVICE_ERROR -> on ? "Device error" : "Device error cleared";
            case OVER_TEMPERATURE -> on ? "Over temperature" : "Temperature back to normal";
            case COUNTER_RESET -> "Energy counter reset";
        };
        String title = what + ": " + t.deviceName() + (t.site() == null ? "" : " (" + t.site() + ")");
        return t.reminder() > 0 ? "Reminder, not acknowledged: " + title : title;
    }

    static String body(Transition t) {
        Alert a = t.alert();
        StringBuilder b = new StringBuilder();
        b.append(a.state()).append(' ').append(a.kind()).append('\n');
        b.append("Device: ").append(a.deviceId());
        if (!t.deviceName().equals(a.deviceId())) {
            b.append(" (").append(t.deviceName()).append(')');
        }
        b.append('\n');
        if (t.site() != null) {
            b.append("Site: ").append(t.site()).append('\n');
        }
        if (!a.detail().isEmpty()) {
            b.append("Detail: ").append(a.detail()).append('\n');
        }
        if (a.powerW() != null) {
            b.append("Power: ").append(watts(a.powerW()));
            if (a.thresholdW() != null) {
                b.append(" (threshold ").append(watts(a.thresholdW())).append(')');
            }
            b.append('\n');
        }
        if (a.peakW() != null) {
            b.append("Peak: ").append(watts(a.peakW())).append('\n');
        }
        b.append("Started: ").append(a.startedAt()).append('\n');
        if (a.endedAt() != null) {
            b.append("Ended: ").append(a.endedAt());
            if (a.durationS() != null) {
                b.append(" after ").append(duration(a.durationS()));
            }
            b.append('\n');
        }
        b.append("Alert key: ").append(t.idempotencyKey());
        return b.toString();
    }

    private static String watts(double w) {
        return String.format(Locale.ROOT, "%.0f W", w);
    }

    private static String duration(double seconds) {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toSeconds() + " s";
    }

    private AlertText() {
    }
}
