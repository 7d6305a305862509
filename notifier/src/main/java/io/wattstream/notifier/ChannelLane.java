package io.wattstream.notifier;

import io.wattstream.model.NotifyChannel;
import io.wattstream.model.NotifyDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue and worker of one channel. Transitions go out one at a time in the order they were
 * consumed, so a device's transitions reach the channel in order: a later one waits while an earlier
 * one is retried. Each channel has its own lane (a virtual thread), so a slow or failing receiver
 * delays only its own channel; every send is bounded by the send timeout.
 */
final class ChannelLane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelLane.class);

    /** What a lane needs from the notifier around it. */
    record Context(ChannelRegistry registry, Sender http, Sender mail, RetryPolicy retry, Journal journal,
                   NotifierMetrics metrics, Clock clock, RandomGenerator random) {
    }

    private final String channelId;
    private final Context ctx;
    private final BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Delivery current;
    private volatile boolean closed;

    ChannelLane(String channelId, Context ctx) {
        this.channelId = channelId;
        this.ctx = ctx;
        this.thread = Thread.ofVirtual().name("lane-" + channelId).start(this::run);
    }

    void submit(Delivery d) {
        queue.add(d);
    }

    int queued() {
        return queue.size();
    }

    Delivery current() {
        return current;
    }

    private void run() {
        try {
            while (!closed) {
                Delivery d = queue.take();
                current = d;
                try {
                    deliver(d);
                } finally {
                    current = null;
                }
            }
        } catch (InterruptedException e) {
            // closing: what is not finished is not committed and is delivered after the restart
        }
    }

    private void deliver(Delivery d) throws InterruptedException {
        Instant first = ctx.clock().instant();
        while (!closed) {
            if (d.progress != null && d.progress.revoked()) {
                return;
            }
            NotifyChannel channel = ctx.registry().channel(channelId);
            if (channel == null) {
                giveUp(d, null, "channel " + channelId + " is not configured (any more)");
                return;
            }
            if (!channel.active()) {
                ctx.metrics().suppressed(d.routes.getFirst());
                finish(d, NotifyDelivery.Outcome.SUPPRESSED, "channel disabled", null, null);
                return;
            }
            Sender sender = channel.type() == NotifyChannel.Type.EMAIL ? ctx.mail() : ctx.http();
            Attempt a = sender.send(channel, d.transition, ctx.clock().instant());
            d.attempts++;
            switch (a.result()) {
                case DELIVERED -> {
                    Duration latency = Duration.between(d.transition.recordTime(), ctx.clock().instant());
                    ctx.metrics().delivered(channelId, latency.isNegative() ? Duration.ZERO : latency);
                    finish(d, NotifyDelivery.Outcome.DELIVERED, null, a.status(), latency.toMillis());
                    return;
                }
                case REFUSED -> {
                    giveUp(d, a.status(), "refused: " + a.detail());
                    return;
                }
                case RETRY -> {
                    Duration wait = ctx.retry().backoff(d.attempts, ctx.random());
                    if (a.retryAfter() != null) {
                        wait = max(wait, min(a.retryAfter(), ctx.retry().maxBackoff()));
                    }
                    Duration elapsed = Duration.between(first, ctx.clock().instant());
                    if (ctx.retry().exhausted(d.attempts, elapsed, wait)) {
                        giveUp(d, a.status(), "gave up after " + d.attempts + " attempts in " + elapsed.toSeconds() + " s: " + a.detail());
                        return;
                    }
                    ctx.metrics().retried(channelId);
                    d.lastError = a.detail();
                    d.nextAttemptAt = ctx.clock().instant().plus(wait);
                    LOG.info("channel {}: {} for {} (attempt {}), next try in {} ms", channelId, a.detail(),
                            d.transition.idempotencyKey(), d.attempts, wait.toMillis());
                    Thread.sleep(wait);
                }
            }
        }
    }

    private void giveUp(Delivery d, Integer status, String reason) throws InterruptedException {
        ctx.metrics().failed(channelId);
        LOG.warn("channel {}: dead-lettering {} ({} {} of {}): {}", channelId, d.transition.idempotencyKey(),
                d.transition.alert().state(), d.transition.alert().kind(), d.transition.deviceId(), reason);
        NotifyDelivery outcome = ctx.journal().outcome(d.transition, channelId, d.routes,
                NotifyDelivery.Outcome.DEAD_LETTERED, reason, d.attempts, status, null);
        await(d, ctx.journal().deadLetter(d.transition, outcome));
    }

    private void finish(Delivery d, NotifyDelivery.Outcome outcome, String reason, Integer status, Long latencyMs)
            throws InterruptedException {
        await(d, ctx.journal().record(ctx.journal().outcome(d.transition, channelId, d.routes, outcome, reason,
                d.attempts, status, latencyMs)));
    }

    /** The record counts as finished for this channel once its outcome is on the log. */
    private static void await(Delivery d, java.util.concurrent.CompletableFuture<Void> written) throws InterruptedException {
        try {
            written.get();
            if (d.progress != null) {
                d.progress.finished(d.transition.offset());
            }
        } catch (ExecutionException e) {
            // only when closing: the record stays uncommitted and is delivered again after the restart
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
