package io.wattstream.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Json;
import io.wattstream.model.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed behind {@code /api/stream}: ONE consumer of {@code shelly.readings} and
 * {@code shelly.alerts} (committed records only, from the latest offset) fanned out to every
 * subscriber through its own bounded queue. Publishing never blocks: a subscriber whose queue is
 * full is dropped (its client reconnects and resumes), so a slow client cannot stall the others.
 * Recent events stay in a bounded ring buffer so a reconnecting client can resume after the id
 * it last saw.
 */
final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    static final String READING = "reading";
    static final String ALERT = "alert";
    private static final Event POISON = new Event(-1, "", "", "", "");

    /** One event; {@code id} is {@code <instance>-<sequence>}, unique for this process's lifetime. */
    record Event(long seq, String id, String name, String deviceId, String data) {
    }

    private final String instance = Long.toString(System.currentTimeMillis(), 36);
    private final int clientQueue;
    private final int replayCapacity;
    private final ArrayDeque<Event> replay = new ArrayDeque<>();
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private long seq;
    private volatile boolean running = true;
    private volatile boolean assigned;

    LiveFeed(String bootstrap, int clientQueue, int replayCapacity) {
        this.clientQueue = clientQueue;
        this.replayCapacity = replayCapacity;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-api-live-feed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // The stream processor writes with exactly-once transactions: never show an aborted record.
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        thread = Thread.ofPlatform().name("query-api-live-feed").daemon().unstarted(this::run);
        thread.start();
    }

    /** True once the consumer is positioned at the end of both topics (events from now on are delivered). */
    boolean ready() {
        return assigned;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /**
     * Subscribes; with a {@code lastEventId} from this instance still in the ring buffer, the
     * events after it are queued first. Replay and registration happen under the publish lock, so
     * nothing is missed or doubled between them.
     */
    Subscription subscribe(String deviceFilter, String lastEventId) {
        Subscription s = new Subscription(deviceFilter, new ArrayBlockingQueue<>(clientQueue));
        synchronized (replay) {
            long after = resumePoint(lastEventId);
            if (after >= 0) {
                List<Event> missed = new ArrayList<>();
                for (Event e : replay) {
                    if (e.seq() > after && s.wants(e)) {
                        missed.add(e);
                    }
                }
                // Keep the newest ones if more were missed than the queue holds.
                int skip = Math.max(0, missed.size() - clientQueue);
                missed.subList(skip, missed.size()).forEach(s.queue::offer);
                s.resumed = true;
            }
            subscribers.add(s);
        }
        return s;
    }

    void unsubscribe(Subscription s) {
        subscribers.remove(s);
    }

    /** The sequence to resume after, or -1 when the id is not ours or too old to resume from. */
    private long resumePoint(String lastEventId) {
        if (lastEventId == null || !lastEventId.startsWith(instance + "-")) {
            return -1;
        }
        try {
            long last = Long.parseLong(lastEventId.substring(instance.length() + 1));
            Event oldest = replay.peekFirst();
            long oldestSeq = oldest == null ? seq + 1 : oldest.seq();
            return last >= oldestSeq - 1 && last <= seq ? last : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void publish(String name, String deviceId, String data) {
        synchronized (replay) {
            long n = ++seq;
            Event e = new Event(n, instance + "-" + n, name, deviceId, data);
            replay.addLast(e);
            if (replay.size() > replayCapacity) {
                replay.removeFirst();
            }
            for (Subscription s : subscribers) {
                if (s.wants(e) && !s.queue.offer(e)) {
                    LOG.warn("Dropping a live-feed client {} events behind", clientQueue);
                    drop(s);
                }
            }
        }
    }

    private void drop(Subscription s) {
        subscribers.remove(s);
        s.dropped = true;
        s.queue.clear();
        s.queue.offer(POISON);
    }

    private void run() {
        try {
            List<TopicPartition> parts = awaitPartitions();
            if (parts.isEmpty()) {
                return;
            }
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve "end" now, so "ready" means what it says
            assigned = true;
            LOG.info("Live feed consuming {} partitions of {} and {}", parts.size(), Topics.READINGS.name(), Topics.ALERTS.name());
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String name = r.topic().equals(Topics.ALERTS.name()) ? ALERT : READING;
                    try {
                        JsonNode node = Json.MAPPER.readTree(r.value());
                        String device = r.key() != null ? r.key() : node.path("device_id").asText();
                        // Re-serialised compactly: one line per event whatever the producer wrote.
                        publish(name, device, Json.MAPPER.writeValueAsString(node));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Skipping unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                e.getClass().getSimpleName());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Live feed consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            List<TopicPartition> parts = new ArrayList<>();
            try {
                for (String topic : List.of(Topics.READINGS.name(), Topics.ALERTS.name())) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos != null) {
                        infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                    }
                }
                if (parts.stream().map(TopicPartition::topic).distinct().count() == 2) {
                    return parts;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("Live feed topics not reachable yet: {}", e.getMessage());
            }
            try {
                Thread.sleep(1000); // retry pacing for an absent broker/topic, not synchronisation
            } catch (InterruptedException e) {
                return List.of();
            }
        }
        return List.of();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        synchronized (replay) {
            for (Iterator<Subscription> it = subscribers.iterator(); it.hasNext(); ) {
                drop(it.next());
            }
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One client's view of the feed. */
    static final class Subscription {
        private final String deviceFilter;
        private final BlockingQueue<Event> queue;
        private volatile boolean dropped;
        private volatile boolean resumed;

        private Subscription(String deviceFilter, BlockingQueue<Event> queue) {
            this.deviceFilter = deviceFilter;
            this.queue = queue;
        }

        boolean wants(Event e) {
            return deviceFilter == null || deviceFilter.equals(e.deviceId());
        }

        /** The next event, or null when none came within the timeout (time for a heartbeat). */
        Event next(Duration timeout) throws InterruptedException {
            Event e = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return e == POISON ? null : e;
        }

        /** True once the feed gave up on this subscriber (too slow, or the service is stopping). */
        boolean dropped() {
            return dropped;
        }

        /** True when the subscription started with a replay after the client's Last-Event-ID. */
        boolean resumed() {
            return resumed;
        }
    }
}
