package io.wattstream.model;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one alert transition on one channel (or, with no channel, one route's decision not
 * to send it), on {@code shelly.notify-log}: the notifier's recent-deliveries view and its memory
 * across restarts.
 *
 * @param idempotencyKey the key sent to receivers; the same for every send of this transition
 * @param channelId      null when a route suppressed the transition before any channel
 * @param routes         the routes that matched and led here
 * @param detail         the alert's detail (part of its identity), null when empty
 * @param attempts       sends tried (0 when suppressed)
 * @param status         the receiver's last HTTP status or SMTP reply code, when there was one
 * @param latencyMs      from the transition's record time to the receiver's confirmation
 * @param at             when the outcome was reached
 */
public record NotifyDelivery(
        String idempotencyKey,
        String channelId,
        List<String> routes,
        String deviceId,
        Alert.Kind kind,
        Alert.State state,
        Instant startedAt,
        String detail,
        Outcome outcome,
        String reason,
        int attempts,
        Integer status,
        Long latencyMs,
        Instant at) {

    /** DELIVERED: the receiver confirmed; SUPPRESSED: not sent on purpose; DEAD_LETTERED: given up. */
    public enum Outcome { DELIVERED, SUPPRESSED, DEAD_LETTERED }
}
