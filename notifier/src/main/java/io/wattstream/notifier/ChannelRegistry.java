package io.wattstream.notifier;

import io.wattstream.model.NotifyChannel;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.NotifyRoute;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Channels and routes as they are now on {@code shelly.notify-channels}. An entry that fails
 * validation or whose key does not match its id is left out (with one WARN when first seen), so a
 * hand-written bad record cannot send to the wrong place.
 */
final class ChannelRegistry {

    private final TopicFollower<NotifyEntry> follower;

    ChannelRegistry(TopicFollower<NotifyEntry> follower) {
        this.follower = follower;
    }

    NotifyChannel channel(String id) {
        NotifyEntry e = follower.get(NotifyEntry.channelKey(id));
        return e == null || e.channel() == null || !valid(e.channel(), id) ? null : e.channel();
    }

    NotifyRoute route(String id) {
        return routes().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }

    /** Routes in id order, so merged decisions list routes the same way every time. */
    List<NotifyRoute> routes() {
        return follower.snapshot().entrySet().stream()
                .filter(e -> e.getKey().startsWith(NotifyEntry.ROUTE_KEY_PREFIX) && e.getValue().route() != null)
                .map(e -> validRoute(e.getValue().route(), e.getKey()))
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(NotifyRoute::id))
                .toList();
    }

    private static boolean valid(NotifyChannel c, String id) {
        try {
            return id.equals(c.id()) && c.validate() != null;
        } catch (IllegalArgumentException e) {
            Warnings.once("channel " + id + " is ignored: " + e.getMessage());
            return false;
        }
    }

    private static NotifyRoute validRoute(NotifyRoute r, String key) {
        try {
            if (!key.equals(NotifyEntry.routeKey(r.id()))) {
                return null;
            }
            Router.minInterval(r.validate());
            Router.repeatEvery(r);
            return r;
        } catch (IllegalArgumentException e) {
            Warnings.once("route " + r.id() + " is ignored: " + e.getMessage());
            return null;
        }
    }
}
