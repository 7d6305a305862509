package io.wattstream.notifier;

import static io.wattstream.notifier.Alerts.cleared;
import static io.wattstream.notifier.Alerts.offline;
import static io.wattstream.notifier.Alerts.raised;
import static io.wattstream.notifier.Alerts.transition;
import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.Alert;
import io.wattstream.model.Device;
import io.wattstream.model.NotifyRoute;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");

    private final RouteMemory memory = new RouteMemory();
    private final Router router = new Router(memory);

    private static NotifyRoute route(String id, String channel) {
        return new NotifyRoute(id, List.of(channel), null, null, null, null, null, null, null, null);
    }

    @Test
    void routeWithoutFiltersSendsEveryTransition() {
        var d = router.route(transition(raised("a", T0)), List.of(route("all", "hook")));
        assertThat(d.channels()).containsOnlyKeys("hook");
        assertThat(d.suppressed()).isEmpty();
    }

    @Test
    void routesByKindDeviceAndSite() {
        NotifyRoute byKind = new NotifyRoute("kind", List.of("k"), Set.of(Alert.Kind.DEVICE_OFFLINE), null, null, null, null, null, null, null);
        NotifyRoute byDevice = new NotifyRoute("device", List.of("d"), null, null, Set.of("b"), null, null, null, null, null);
        NotifyRoute bySite = new NotifyRoute("site", List.of("s"), null, null, null, Set.of("garage"), null, null, null, null);
        List<NotifyRoute> routes = List.of(byKind, byDevice, bySite);
        Device inGarage = new Device("a", "Charger A", "garage", null);

        assertThat(router.route(transition(raised("a", T0), inGarage), routes).channels()).containsOnlyKeys("s");
        assertThat(router.route(transition(offline("a", T0), null), routes).channels()).containsOnlyKeys("k");
        assertThat(router.route(transition(raised("b", T0), null), routes).channels()).containsOnlyKeys("d");
        assertThat(router.route(transition(raised("c", T0), null), routes).nothingMatched()).isTrue();
    }

    @Test
    void routeForRaisedOnlyLeavesClearedUnsent() {
        NotifyRoute raisedOnly = new NotifyRoute("r", List.of("c"), null, Set.of(Alert.State.RAISED), null, null, null, null, null, null);
        assertThat(router.route(transition(raised("a", T0)), List.of(raisedOnly)).channels()).containsOnlyKeys("c");
        assertThat(router.route(transition(cleared("a", T0, T0.plusSeconds(60))), List.of(raisedOnly)).nothingMatched()).isTrue();
    }

    @Test
    void disabledRouteMatchesNothing() {
        NotifyRoute off = new NotifyRoute("off", List.of("c"), null, null, null, null, null, null, null, false);
        assertThat(router.route(transition(raised("a", T0)), List.of(off)).nothingMatched()).isTrue();
    }

    @Test
    void twoRoutesToOneChannelSendOnceNamingBoth() {
        var d = router.route(transition(raised("a", T0)), List.of(route("r1", "hook"), route("r2", "hook")));
        assertThat(d.channels()).containsOnlyKeys("hook");
        assertThat(d.channels().get("hook")).containsExactly("r1", "r2");
    }

    @Test
    void flappingRaisedWithinMinIntervalIsSuppressedAndSoIsItsCleared() {
        NotifyRoute r = new NotifyRoute("r", List.of("c"), null, null, null, null, null, "10m", null, null);
        List<NotifyRoute> routes = List.of(r);
        Instant t1 = T0.plusSeconds(120);
        Instant t2 = T0.plusSeconds(11 * 60);

        assertThat(router.route(transition(raised("a", T0)), routes).channels()).containsKey("c");
        assertThat(router.route(transition(cleared("a", T0, T0.plusSeconds(60))), routes).channels()).containsKey("c");
        var flap = router.route(transition(raised("a", t1)), routes);
        assertThat(flap.channels()).isEmpty();
        assertThat(flap.suppressed()).singleElement().satisfies(s -> assertThat(s.reason()).startsWith("flapping"));
        var flapCleared = router.route(transition(cleared("a", t1, t1.plusSeconds(30))), routes);
        assertThat(flapCleared.channels()).isEmpty();
        assertThat(flapCleared.suppressed()).singleElement().satisfies(s -> assertThat(s.reason()).contains("suppressed"));
        // 11 minutes after the last *sent* RAISED: sent again.
        assertThat(router.route(transition(raised("a", t2)), routes).channels()).containsKey("c");
    }

    @Test
    void flappingIsCountedPerDeviceAndKind() {
        NotifyRoute r = new NotifyRoute("r", List.of("c"), null, null, null, null, null, "10m", null, null);
        router.route(transition(raised("a", T0)), List.of(r));
        assertThat(router.route(transition(raised("b", T0.plusSeconds(60))), List.of(r)).channels()).containsKey("c");
        assertThat(router.route(transition(offline("a", T0.plusSeconds(60))), List.of(r)).channels()).containsKey("c");
    }

    @Test
    void repeatedTransitionGetsTheSameDecision() {
        NotifyRoute r = new NotifyRoute("r", List.of("c"), null, null, null, null, null, "10m", null, null);
        Transition first = transition(raised("a", T0));
        assertThat(router.route(first, List.of(r)).channels()).containsKey("c");
        // The same RAISED read again after a restart is not its own flap.
        assertThat(router.route(first, List.of(r)).channels()).containsKey("c");
    }

    @Test
    void eventsAreSentAndFlapLikeRaisedOnesButNeedNoClear() {
        NotifyRoute r = new NotifyRoute("r", List.of("c"), null, null, null, null, null, "10m", null, null);
        Alert first = new Alert("a", Alert.Kind.COUNTER_RESET, Alert.State.EVENT, null, null, null, T0, T0, null, "x");
        Alert soon = new Alert("a", Alert.Kind.COUNTER_RESET, Alert.State.EVENT, null, null, null, T0.plusSeconds(60), T0.plusSeconds(60), null, "y");
        assertThat(router.route(transition(first), List.of(r)).channels()).containsKey("c");
        assertThat(router.route(transition(soon), List.of(r)).suppressed()).singleElement()
                .satisfies(s -> assertThat(s.reason()).startsWith("flapping"));
    }

    @Test
    void clearedWhoseRaisedThisRouteNeverSawIsSuppressed() {
        var d = router.route(transition(cleared("a", T0, T0.plusSeconds(60))), List.of(route("r", "c")));
        assertThat(d.channels()).isEmpty();
        assertThat(d.suppressed()).singleElement().satisfies(s -> assertThat(s.reason()).contains("not notified"));
    }

    @Test
    void quietHoursSpanningMidnightFollowTheRoutesTimeZone() {
        // 22:00-07:00 in Zurich (UTC+1 in November): 21:30 UTC is 22:30 there, 06:30 UTC is 07:30.
        NotifyRoute.QuietHours night = new NotifyRoute.QuietHours("22:00", "07:00", "Europe/Zurich");
        NotifyRoute r = new NotifyRoute("night", List.of("c"), null, null, null, null, night, null, null, null);
        Instant lateEvening = Instant.parse("2026-11-20T21:30:00Z");
        Instant morning = Instant.parse("2026-11-21T06:30:00Z");

        var quiet = router.route(transition(raised("a", lateEvening)), List.of(r));
        assertThat(quiet.channels()).isEmpty();
        assertThat(quiet.suppressed()).singleElement().satisfies(s -> assertThat(s.reason()).startsWith("quiet hours"));
        assertThat(router.route(transition(raised("b", morning)), List.of(r)).channels()).containsKey("c");
        assertThat(router.route(transition(raised("c", Instant.parse("2026-11-20T20:59:00Z"))), List.of(r)).channels()).containsKey("c");
    }

    @Test
    void quietHoursWithinOneDay() {
        NotifyRoute.QuietHours lunch = new NotifyRoute.QuietHours("12:00", "13:00", "UTC");
        assertThat(Router.inQuietHours(lunch, Instant.parse("2026-11-20T12:00:00Z"))).isTrue();
        assertThat(Router.inQuietHours(lunch, Instant.parse("2026-11-20T12:59:59Z"))).isTrue();
        assertThat(Router.inQuietHours(lunch, Instant.parse("2026-11-20T13:00:00Z"))).isFalse();
        assertThat(Router.inQuietHours(lunch, Instant.parse("2026-11-20T11:59:59Z"))).isFalse();
    }

    @Test
    void clearedInQuietHoursIsSuppressedEvenAfterItsRaisedWasSent() {
        NotifyRoute.QuietHours night = new NotifyRoute.QuietHours("22:00", "07:00", "UTC");
        NotifyRoute r = new NotifyRoute("night", List.of("c"), null, null, null, null, night, null, null, null);
        Instant evening = Instant.parse("2026-11-20T21:50:00Z");
        assertThat(router.route(transition(raised("a", evening)), List.of(r)).channels()).containsKey("c");
        var d = router.route(transition(cleared("a", evening, evening.plusSeconds(20 * 60))), List.of(r));
        assertThat(d.channels()).isEmpty();
        assertThat(d.suppressed()).singleElement().satisfies(s -> assertThat(s.reason()).startsWith("quiet hours"));
    }
}
