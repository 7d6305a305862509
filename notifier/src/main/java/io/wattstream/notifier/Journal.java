package io.wattstream.notifier;

import io.wattstream.model.Alert;
import io.wattstream.model.DeadLetter;
import io.wattstream.model.NotifyDelivery;
import io.wattstream.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each outcome to {@code shelly.notify-log} (and a give-up to {@code shelly.notify-dlq}
 * first), with acks=all; a write that fails is sent again until it lands, since the record's offset
 * is committed only after it. At start it reads the log back: the recent-deliveries view, the routes'
 * decisions ({@link RouteMemory}) and which (channel, transition) pairs are finished, so the records
 * re-read after a restart skip what was already confirmed.
 */
final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final Duration RESEND_AFTER = Duration.ofSeconds(1);
    private static final int FINISHED_KEPT = 200_000;

    private final KafkaProducer<String, byte[]> producer;
    private final RecentDeliveries recent;
    private final Clock clock;
    private final Set<String> finished = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > FINISHED_KEPT;
        }
    });
    private final ScheduledExecutorService resender = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("journal-resend").factory());
    private volatile boolean closed;

    Journal(String bootstrap, Map<String, String> producerOverrides, RecentDeliveries recent, Clock clock) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "wattstream-notifier-journal");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.putAll(producerOverrides);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.recent = recent;
        this.clock = clock;
    }

    /** The target of an outcome: a channel id, or {@code route:<id>} for a route's suppression. */
    static String target(NotifyDelivery d) {
        return d.channelId() != null ? d.channelId() : "route:" + d.routes().getFirst();
    }

    boolean finished(String target, String idempotencyKey) {
        synchronized (finished) {
            return finished.contains(target + '|' + idempotencyKey);
        }
    }

    /** Journals an outcome; completes once it is on the log. */
    CompletableFuture<Void> record(NotifyDelivery d) {
        byte[] value = Topics.NOTIFY_LOG.valueSerde().serializer().serialize(Topics.NOTIFY_LOG.name(), d);
        return send(new ProducerRecord<>(Topics.NOTIFY_LOG.name(), d.deviceId(), value)).thenRun(() -> remember(d));
    }

    /** Writes the transition to the dead-letter topic with the reason, then journals the outcome. */
    CompletableFuture<Void> deadLetter(Transition t, NotifyDelivery d) {
        RecordHeaders h = new RecordHeaders();
        header(h, DeadLetter.REASON, DeadLetter.DELIVERY_FAILED);
        header(h, DeadLetter.DETAIL, d.reason());
        header(h, DeadLetter.ORIGIN_TOPIC, t.topic());
        header(h, DeadLetter.ORIGIN_PARTITION, Integer.toString(t.partition()));
        header(h, DeadLetter.ORIGIN_OFFSET, Long.toString(t.offset()));
        header(h, DeadLetter.CHANNEL, d.channelId());
        header(h, DeadLetter.ATTEMPTS, Integer.toString(d.attempts()));
        header(h, DeadLetter.IDEMPOTENCY_KEY, d.idempotencyKey());
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.NOTIFY_DLQ.name(), null, t.deviceId(), t.bytes(), h);
        return send(r).thenCompose(v -> record(d));
    }

    private static void header(RecordHeaders h, String name, String value) {
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void remember(NotifyDelivery d) {
        synchronized (finished) {
            finished.add(target(d) + '|' + d.idempotencyKey());
        }
        recent.add(d);
    }

    private CompletableFuture<Void> send(ProducerRecord<String, byte[]> r) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(r, done);
        return done;
    }

    private void attempt(ProducerRecord<String, byte[]> r, CompletableFuture<Void> done) {
        if (closed) {
            done.completeExceptionally(new IllegalStateException("notifier is closing"));
            return;
        }
        try {
            producer.send(r, (meta, e) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    LOG.warn("writing to {} failed ({}), sending again in {}", r.topic(), e.toString(), RESEND_AFTER);
                    resendLater(r, done);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("writing to {} failed ({}), sending again in {}", r.topic(), e.toString(), RESEND_AFTER);
            resendLater(r, done);
        }
    }

    private void resendLater(ProducerRecord<String, byte[]> r, CompletableFuture<Void> done) {
        try {
            resender.schedule(() -> attempt(r, done), RESEND_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
    }

    /** Reads the whole delivery log once, feeding the view, the finished set and the routes' memory. */
    void load(String bootstrap, Map<String, String> consumerOverrides, RouteMemory memory) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "wattstream-notifier-journal-load");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.putAll(consumerOverrides);
        long count = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.NOTIFY_LOG.name(), Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    NotifyDelivery d;
                    try {
                        d = Topics.NOTIFY_LOG.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    } catch (RuntimeException e) {
                        LOG.warn("skipping unreadable delivery log record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                        continue;
                    }
                    if (d == null || d.idempotencyKey() == null || d.routes() == null || d.routes().isEmpty()) {
                        continue;
                    }
                    remember(d);
                    learn(memory, d);
                    count++;
                }
            }
        }
        LOG.info("read {} outcomes from {}", count, Topics.NOTIFY_LOG.name());
    }

    /**
     * A RAISED or EVENT that reached a channel was let through by its routes; a route's own
     * suppression is its reason. Reminders ({@code -r<n>} keys) add nothing.
     */
    private static void learn(RouteMemory memory, NotifyDelivery d) {
        if (d.state() == Alert.State.CLEARED || d.idempotencyKey().contains("-r")) {
            return;
        }
        Alert start = new Alert(d.deviceId(), d.kind(), d.state(), null, null, null, d.startedAt(), null, null, d.detail());
        for (String route : d.routes()) {
            if (d.channelId() != null) {
                memory.remember(route, start, null);
            } else if (memory.decision(route, start) == null) {
                memory.remember(route, start, d.reason());
            }
        }
    }

    NotifyDelivery outcome(Transition t, String channelId, List<String> routes, NotifyDelivery.Outcome outcome,
                           String reason, int attempts, Integer status, Long latencyMs) {
        Alert a = t.alert();
        return new NotifyDelivery(t.idempotencyKey(), channelId, routes, a.deviceId(), a.kind(), a.state(),
                a.startedAt(), a.detail().isEmpty() ? null : a.detail(), outcome, reason, attempts, status, latencyMs,
                clock.instant());
    }

    @Override
    public void close() {
        closed = true;
        resender.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
