package io.wattstream.model;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * A routing rule on the compacted {@code shelly.notify-channels} topic (key {@code route:<id>}, see
 * {@link NotifyEntry}): which transitions go to which channels. An empty or missing filter matches
 * everything.
 *
 * @param channels    channel ids the matching transitions go to
 * @param kinds       alert kinds to match
 * @param states      RAISED and/or CLEARED
 * @param devices     device ids to match
 * @param sites       sites to match (from the device registry)
 * @param quietHours  a daily window in which this route sends nothing
 * @param minInterval per device and kind, a RAISED less than this after the last notified RAISED is
 *                    suppressed, and so is its CLEARED (a duration with its unit: {@code 10m}, or ISO-8601)
 * @param repeatEvery while an alert this route sent stays raised and unacknowledged, send a reminder
 *                    this often (a duration with its unit; not set: no reminders)
 * @param enabled     false keeps the route but matches nothing (null means true)
 */
public record NotifyRoute(
        String id,
        List<String> channels,
        Set<Alert.Kind> kinds,
        Set<Alert.State> states,
        Set<String> devices,
        Set<String> sites,
        QuietHours quietHours,
        String minInterval,
        String repeatEvery,
        Boolean enabled) {

    /**
     * A daily window, in a time zone, in which a route sends nothing; {@code start} after {@code end}
     * spans midnight ({@code 22:00}–{@code 07:00}).
     */
    public record QuietHours(String start, String end, String zone) {

        public LocalTime startTime() {
            return LocalTime.parse(start);
        }

        public LocalTime endTime() {
            return LocalTime.parse(end);
        }

        public ZoneId zoneId() {
            return ZoneId.of(zone);
        }
    }

    /** Whether it is in use: {@code enabled} true or not set. */
    public boolean active() {
        return enabled == null || enabled;
    }

    private static void requireDuration(String name, String value) {
        if (value != null && !value.isBlank() && !value.trim().matches("\\d{1,9}(ms|s|m|h|d)|P.+")) {
            throw new IllegalArgumentException(name + " is a duration with its unit, like 10m");
        }
    }

    /** Checks the fields; the message names the first problem. */
    public NotifyRoute validate() {
        if (id == null || id.isBlank() || id.length() > 100) {
            throw new IllegalArgumentException("route id is required (at most 100 characters)");
        }
        if (channels == null || channels.isEmpty() || channels.stream().anyMatch(c -> c == null || c.isBlank())) {
            throw new IllegalArgumentException("a route needs at least one channel id");
        }
        requireDuration("min_interval", minInterval);
        requireDuration("repeat_every", repeatEvery);
        if (quietHours != null) {
            try {
                if (quietHours.startTime().equals(quietHours.endTime())) {
                    throw new IllegalArgumentException("quiet_hours start and end must differ");
                }
                quietHours.zoneId();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("quiet_hours start and end are times of day like 22:00");
            } catch (DateTimeException | NullPointerException e) {
                throw new IllegalArgumentException("quiet_hours needs start, end and a time zone like Europe/Zurich");
            }
        }
        return this;
    }
}
