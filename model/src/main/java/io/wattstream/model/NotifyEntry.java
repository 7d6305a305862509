package io.wattstream.model;

/**
 * A value of the compacted {@code shelly.notify-channels} topic: exactly one of a channel (key
 * {@code channel:<id>}) or a route (key {@code route:<id>}); a null value (tombstone) deletes it.
 */
public record NotifyEntry(NotifyChannel channel, NotifyRoute route) {

    public static final String CHANNEL_KEY_PREFIX = "channel:";
    public static final String ROUTE_KEY_PREFIX = "route:";

    public static NotifyEntry of(NotifyChannel channel) {
        return new NotifyEntry(channel, null);
    }

    public static NotifyEntry of(NotifyRoute route) {
        return new NotifyEntry(null, route);
    }

    public static String channelKey(String id) {
        return CHANNEL_KEY_PREFIX + id;
    }

    public static String routeKey(String id) {
        return ROUTE_KEY_PREFIX + id;
    }

    /** The record key this entry is stored under. */
    public String key() {
        if ((channel == null) == (route == null)) {
            throw new IllegalArgumentException("a notify entry holds exactly one of channel or route");
        }
        return channel != null ? channelKey(channel.id()) : routeKey(route.id());
    }
}
