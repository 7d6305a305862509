package io.wattstream.notifier;

import io.wattstream.kit.Durations;
import io.wattstream.model.Alert;
import io.wattstream.model.NotifyRoute;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, per route, whether a transition is sent and to which channels.
 *
 * <p>A route matches on kind, state, device and site (an empty filter matches all). A matching route
 * then suppresses:
 * <ul>
 * <li>a transition whose own time (start for RAISED, end for CLEARED) falls in its quiet hours;
 * <li>a RAISED (or an EVENT) less than {@code min_interval} after the last one of the same device and
 *     kind that the route let through (flapping);
 * <li>a CLEARED whose RAISED the route did not let through, so nobody hears of an alert ending that
 *     they never heard begin.
 * </ul>
 * Decisions use the transitions' own times and are remembered per alert, so a replay after a restart
 * decides as before. The channels of all routes that let a transition through are merged: each
 * channel gets it once.
 */
final class Router {

    /** A route's reason not to send. */
    record Suppression(String routeId, String reason) {
    }

    /**
     * @param channels   channel id to the routes that led there, in route order
     * @param sent       the routes that let the transition through
     * @param suppressed matching routes that did not send
     */
    record Decision(Map<String, List<String>> channels, List<NotifyRoute> sent, List<Suppression> suppressed) {
        boolean nothingMatched() {
            return channels.isEmpty() && suppressed.isEmpty();
        }
    }

    private final RouteMemory memory;

    Router(RouteMemory memory) {
        this.memory = memory;
    }

    Decision route(Transition t, Collection<NotifyRoute> routes) {
        Map<String, List<String>> channels = new LinkedHashMap<>();
        List<Suppression> suppressed = new ArrayList<>();
        List<NotifyRoute> sent = new ArrayList<>();
        for (NotifyRoute route : routes) {
            if (!matches(route, t)) {
                continue;
            }
            String reason = t.cleared() ? decideCleared(route, t) : decideStart(route, t);
            if (reason != null) {
                suppressed.add(new Suppression(route.id(), reason));
                continue;
            }
            sent.add(route);
            for (String channel : route.channels()) {
                channels.computeIfAbsent(channel, c -> new ArrayList<>()).add(route.id());
            }
        }
        return new Decision(channels, sent, suppressed);
    }

    static boolean matches(NotifyRoute r, Transition t) {
        Alert a = t.alert();
        return r.active()
                && (r.kinds() == null || r.kinds().isEmpty() || r.kinds().contains(a.kind()))
                && (r.states() == null || r.states().isEmpty() || r.states().contains(a.state()))
                && (r.devices() == null || r.devices().isEmpty() || r.devices().contains(a.deviceId()))
                && (r.sites() == null || r.sites().isEmpty() || (t.site() != null && r.sites().contains(t.site())));
    }

    /** For a RAISED or an EVENT: null to send, else why not. Remembered, so a repeat gets the same answer. */
    private String decideStart(NotifyRoute route, Transition t) {
        Alert a = t.alert();
        RouteMemory.Remembered earlier = memory.decision(route.id(), a);
        if (earlier != null) {
            return earlier.reason();
        }
        String reason = quietReason(route, t.eventTime());
        if (reason == null) {
            Duration min = minInterval(route);
            Instant last = min.isZero() ? null : memory.lastSentBefore(route.id(), a);
            if (last != null && Duration.between(last, a.startedAt()).compareTo(min) < 0) {
                reason = "flapping: less than " + route.minInterval() + " after the alert raised at " + last;
            }
        }
        memory.remember(route.id(), a, reason);
        return reason;
    }

    private String decideCleared(NotifyRoute route, Transition t) {
        Alert a = t.alert();
        RouteMemory.Remembered raised = memory.decision(route.id(), a);
        if (raised == null) {
            return "its RAISED was not notified on this route";
        }
        if (raised.reason() != null) {
            return "its RAISED was suppressed (" + raised.reason() + ")";
        }
        return quietReason(route, t.eventTime());
    }

    /** The route's {@code min_interval}; zero when not set (a malformed one keeps the route out of the registry). */
    static Duration minInterval(NotifyRoute route) {
        return duration(route.minInterval());
    }

    /** The route's {@code repeat_every}; zero when not set. */
    static Duration repeatEvery(NotifyRoute route) {
        return duration(route.repeatEvery());
    }

    private static Duration duration(String text) {
        return text == null || text.isBlank() ? Duration.ZERO : Durations.parse(text);
    }

    static String quietReason(NotifyRoute route, Instant at) {
        NotifyRoute.QuietHours q = route.quietHours();
        if (q == null || !inQuietHours(q, at)) {
            return null;
        }
        return "quiet hours " + q.start() + "-" + q.end() + " " + q.zone();
    }

    /** Whether the instant's local time in the window's zone lies in [start, end); start after end spans midnight. */
    static boolean inQuietHours(NotifyRoute.QuietHours q, Instant at) {
        LocalTime t = at.atZone(q.zoneId()).toLocalTime();
        LocalTime start = q.startTime();
        LocalTime end = q.endTime();
        return start.isBefore(end)
                ? !t.isBefore(start) && t.isBefore(end)
                : !t.isBefore(start) || t.isBefore(end);
    }
}
