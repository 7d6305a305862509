package io.wattstream.notifier;

import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.NotifyRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminders for alerts that stay raised and unacknowledged: for each route with {@code repeat_every}
 * that sent a RAISED, a reminder goes to the route's channels every {@code repeat_every} until the
 * alert's CLEARED is consumed or an acknowledgement for it appears on {@code shelly.alert-acks}.
 * A reminder due in the route's quiet hours waits for their end. A reminder is queued on the
 * channel's lane like any transition (so it never overtakes the CLEARED consumed before it), has its
 * own idempotency key ({@code <key>-r<n>}) and is not tied to an offset.
 *
 * <p>What is open is kept in memory: after a restart, reminders resume for the RAISED read again
 * (those after the last commit) and for alerts raised from then on.
 */
final class Reminders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reminders.class);

    private record Open(NotifyRoute route, Transition raised, Instant lastSent, int sent) {
    }

    private final ChannelRegistry registry;
    private final TopicFollower<AlertAck> acks;
    private final Function<String, ChannelLane> lanes;
    private final Clock clock;
    private final Map<String, Open> open = new HashMap<>();
    private final AtomicLong checks = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("notifier-reminders").factory());

    Reminders(ChannelRegistry registry, TopicFollower<AlertAck> acks, Function<String, ChannelLane> lanes,
              Clock clock, Duration checkEvery) {
        this.registry = registry;
        this.acks = acks;
        this.lanes = lanes;
        this.clock = clock;
        timer.scheduleWithFixedDelay(this::check, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String alertId(String deviceId, Alert.Kind kind, Instant startedAt, String detail) {
        return deviceId + '|' + kind + '|' + startedAt + '|' + (detail == null ? "" : detail);
    }

    /** A route sent this RAISED: remind while it stays open. */
    synchronized void sent(NotifyRoute route, Transition raised) {
        if (!raised.raised() || Router.repeatEvery(route).isZero()) {
            return;
        }
        Alert a = raised.alert();
        open.putIfAbsent(route.id() + '|' + alertId(a.deviceId(), a.kind(), a.startedAt(), a.detail()),
                new Open(route, raised, clock.instant(), 0));
    }

    /** The alert ended: no more reminders for it on any route. */
    synchronized void cleared(Alert a) {
        String suffix = '|' + alertId(a.deviceId(), a.kind(), a.startedAt(), a.detail());
        open.keySet().removeIf(k -> k.endsWith(suffix));
    }

    /** How many checks ran; tests wait on it instead of sleeping. */
    long checks() {
        return checks.get();
    }

    synchronized int open() {
        return open.size();
    }

    private void check() {
        try {
            remind();
        } catch (RuntimeException e) {
            LOG.warn("reminder check failed: {}", e.toString());
        } finally {
            checks.incrementAndGet();
        }
    }

    private synchronized void remind() {
        if (open.isEmpty()) {
            return;
        }
        Set<String> acknowledged = new HashSet<>();
        for (AlertAck ack : acks.snapshot().values()) {
            acknowledged.add(alertId(ack.deviceId(), ack.kind(), ack.startedAt(), ack.detail()));
        }
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Open>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Open> e = it.next();
            Open o = e.getValue();
            Alert a = o.raised().alert();
            NotifyRoute route = registry.route(o.route().id());
            Duration every = route == null ? Duration.ZERO : Router.repeatEvery(route);
            if (acknowledged.contains(alertId(a.deviceId(), a.kind(), a.startedAt(), a.detail())) || every.isZero() || !route.active()) {
                it.remove();
                continue;
            }
            if (Duration.between(o.lastSent(), now).compareTo(every) < 0 || Router.quietReason(route, now) != null) {
                continue;
            }
            Transition reminder = o.raised().reminder(o.sent() + 1, now);
            for (String channel : route.channels().stream().filter(Objects::nonNull).distinct().toList()) {
                if (registry.channel(channel) != null) {
                    lanes.apply(channel).submit(new Delivery(reminder, channel, java.util.List.of(route.id()), null));
                }
            }
            e.setValue(new Open(route, o.raised(), now, o.sent() + 1));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
