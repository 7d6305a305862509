package io.wattstream.notifier;

import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.Device;
import io.wattstream.model.NotifyChannel;
import io.wattstream.model.NotifyDelivery;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code shelly.alerts} (read_committed, its own group, manual commits), routes each
 * transition and hands it to the lanes of its channels. Offsets are committed every commit interval
 * up to the oldest record not yet finished on every channel, so a restart starts at the first
 * transition some channel has not confirmed; what later records a channel had already finished is
 * known from the delivery log and not sent again.
 */
final class AlertConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertConsumer.class);

    private final NotifierSettings settings;
    private final ChannelRegistry registry;
    private final TopicFollower<Device> devices;
    private final Journal journal;
    private final RouteMemory memory = new RouteMemory();
    private final Router router = new Router(memory);
    private final ChannelLane.Context laneContext;
    private final Reminders reminders;
    private final Map<String, ChannelLane> lanes = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile Throwable failure;

    AlertConsumer(NotifierSettings settings, ChannelRegistry registry, TopicFollower<Device> devices,
                  TopicFollower<AlertAck> acks, Journal journal, ChannelLane.Context laneContext) {
        this.settings = settings;
        this.registry = registry;
        this.devices = devices;
        this.journal = journal;
        this.laneContext = laneContext;
        this.reminders = new Reminders(registry, acks, this::lane, laneContext.clock(), settings.reminderCheck());
        this.thread = Thread.ofPlatform().name("notifier-alerts").start(this::run);
    }

    /** Waits until the consumer has its partitions (and so a position to start from). */
    boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean healthy() {
        return failure == null && thread.isAlive();
    }

    Collection<ChannelLane> lanes() {
        return lanes.values();
    }

    Reminders reminders() {
        return reminders;
    }

    private ChannelLane lane(String channelId) {
        return lanes.computeIfAbsent(channelId, id -> new ChannelLane(id, laneContext));
    }

    private void run() {
        try {
            journal.load(settings.bootstrap(), settings.consumerOverrides(), memory);
            consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(settings.alertsTopic()), new Rebalance());
            long nextCommit = System.nanoTime();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    handle(r);
                }
                if (System.nanoTime() >= nextCommit) {
                    commit(progress.keySet());
                    nextCommit = System.nanoTime() + settings.commitInterval().toNanos();
                }
                backpressure();
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
            LOG.error("the alert consumer stopped", e);
        } finally {
            shutdown();
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "wattstream-notifier");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.startFrom());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        p.putAll(settings.consumerOverrides());
        return p;
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        PartitionProgress pp = progress.computeIfAbsent(tp, PartitionProgress::new);
        Alert alert;
        try {
            alert = r.value() == null ? null : Topics.ALERTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable alert {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            alert = null;
        }
        if (alert == null || alert.deviceId() == null || alert.kind() == null || alert.state() == null || alert.startedAt() == null) {
            pp.consumed(r.offset(), 0);
            return;
        }
        Transition t = Transition.of(alert, devices.get(alert.deviceId()), Instant.ofEpochMilli(r.timestamp()),
                r.topic(), r.partition(), r.offset(), r.value());
        Router.Decision decision = router.route(t, registry.routes());
        List<Runnable> work = new ArrayList<>();
        for (Router.Suppression s : decision.suppressed()) {
            if (journal.finished("route:" + s.routeId(), t.idempotencyKey())) {
                continue;
            }
            laneContext.metrics().suppressed(s.routeId());
            NotifyDelivery d = journal.outcome(t, null, List.of(s.routeId()), NotifyDelivery.Outcome.SUPPRESSED, s.reason(), 0, null, null);
            work.add(() -> journal.record(d).thenRun(() -> pp.finished(r.offset())));
        }
        decision.channels().forEach((channelId, routes) -> {
            if (journal.finished(channelId, t.idempotencyKey())) {
                return;
            }
            NotifyChannel channel = registry.channel(channelId);
            if (channel == null) {
                laneContext.metrics().failed(channelId);
                NotifyDelivery d = journal.outcome(t, channelId, routes, NotifyDelivery.Outcome.DEAD_LETTERED,
                        "channel " + channelId + " is not configured", 0, null, null);
                work.add(() -> journal.deadLetter(t, d).thenRun(() -> pp.finished(r.offset())));
            } else {
                Delivery d = new Delivery(t, channelId, routes, pp);
                work.add(() -> lane(channelId).submit(d));
            }
        });
        // A CLEARED ends the reminders before it is queued, a RAISED starts them after: a reminder
        // never comes behind its CLEARED, nor before its RAISED.
        if (t.cleared()) {
            reminders.cleared(t.alert());
        }
        // Registered before any of it can finish, so the record is never committed early.
        pp.consumed(r.offset(), work.size());
        work.forEach(Runnable::run);
        if (t.raised()) {
            decision.sent().forEach(route -> reminders.sent(route, t));
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionProgress pp = progress.get(tp);
            OptionalLong at = pp == null ? OptionalLong.empty() : pp.committable();
            if (at.isPresent() && !Long.valueOf(at.getAsLong()).equals(committed.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(at.getAsLong()));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("committing offsets failed ({}); trying again at the next interval", e.toString());
        }
    }

    /** A channel with too long a queue pauses consumption for all: memory stays bounded, nothing is dropped. */
    private void backpressure() {
        int longest = lanes.values().stream().mapToInt(ChannelLane::queued).max().orElse(0);
        if (!paused && longest > settings.maxQueued()) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.warn("a channel has {} transitions queued: pausing consumption until it drains", longest);
        } else if (paused && longest <= settings.maxQueued() / 2) {
            consumer.resume(consumer.paused());
            paused = false;
            LOG.info("resuming consumption");
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(partitions);
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // A partition without a committed offset starts at auto.offset.reset; committing that
            // position now keeps every later transition even if the notifier dies before its first commit.
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> known = consumer.committed(new HashSet<>(partitions));
            for (TopicPartition tp : partitions) {
                progress.put(tp, new PartitionProgress(tp));
                OffsetAndMetadata c = known.get(tp);
                if (c == null) {
                    start.put(tp, new OffsetAndMetadata(consumer.position(tp)));
                } else {
                    committed.put(tp, c.offset());
                }
            }
            if (!start.isEmpty()) {
                consumer.commitSync(start);
                start.forEach((tp, o) -> committed.put(tp, o.offset()));
            }
            assigned.countDown();
        }

        private void drop(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionProgress pp = progress.remove(tp);
                if (pp != null) {
                    pp.revoke();
                }
                committed.remove(tp);
            }
        }
    }

    private void shutdown() {
        reminders.close();
        for (ChannelLane lane : lanes.values()) {
            try {
                lane.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (consumer != null) {
            try {
                commit(progress.keySet());
            } catch (WakeupException e) {
                // the wake-up that stopped the loop landed here instead of in poll(): commit once more
                commit(progress.keySet());
            } catch (RuntimeException e) {
                LOG.warn("final commit failed: {}", e.toString());
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        thread.join(30_000);
    }
}
