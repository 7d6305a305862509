package io.wattstream.notifier;

import java.time.Instant;
import java.util.List;

/**
 * One transition on its way to one channel, with what its attempts so far showed. A reminder has no
 * partition progress: no offset waits for it.
 */
final class Delivery {

    final Transition transition;
    final String channelId;
    final List<String> routes;
    final PartitionProgress progress;
    volatile int attempts;
    volatile String lastError;
    volatile Instant nextAttemptAt;

    Delivery(Transition transition, String channelId, List<String> routes, PartitionProgress progress) {
        this.transition = transition;
        this.channelId = channelId;
        this.routes = List.copyOf(routes);
        this.progress = progress;
    }

    /** A view of a delivery still waiting for its receiver, for {@code /deliveries}. */
    record Pending(String channelId, String idempotencyKey, String deviceId, String kind, String state,
                   Instant startedAt, int attempts, String lastError, Instant nextAttemptAt, int queuedBehind) {
    }

    Pending pending(int queuedBehind) {
        return new Pending(channelId, transition.idempotencyKey(), transition.deviceId(),
                transition.alert().kind().name(), transition.alert().state().name(), transition.alert().startedAt(),
                attempts, lastError, nextAttemptAt, queuedBehind);
    }
}
