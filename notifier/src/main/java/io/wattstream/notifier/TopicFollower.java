package io.wattstream.notifier;

import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 * Follows a compacted topic from its start into a map (a null value deletes the key), then keeps
 * following it, so a change made through the API applies within a poll. No consumer group: every
 * notifier reads all of it. A topic that does not exist yet is looked for again every few seconds.
 */
final class TopicFollower<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(5);

    private final Topics.Topic<V> topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, V> entries = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    TopicFollower(String bootstrap, Topics.Topic<V> topic, Map<String, String> overrides) {
        this.topic = topic;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "wattstream-notifier-" + topic.name());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putAll(overrides);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = Thread.ofPlatform().daemon().name("follow-" + topic.name()).start(this::run);
    }

    V get(String key) {
        return key == null ? null : entries.get(key);
    }

    Map<String, V> snapshot() {
        return Map.copyOf(entries);
    }

    /** Waits until everything that was on the topic when following began has been read. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            Map<TopicPartition, Long> ends = assign();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("stopped following {}", topic.name(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private Map<TopicPartition, Long> assign() throws InterruptedException {
        while (running) {
            List<PartitionInfo> infos = null;
            try {
                infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("cannot look up {} yet", topic.name());
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                return new HashMap<>(consumer.endOffsets(parts));
            }
            // Nothing to read yet is as good as read: start-up does not wait for a topic that may never come.
            caughtUp.countDown();
            for (long waited = 0; running && waited < LOOK_AGAIN.toMillis(); waited += 100) {
                Thread.sleep(100);
            }
        }
        return Map.of();
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            entries.remove(r.key());
            return;
        }
        try {
            entries.put(r.key(), topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        } catch (RuntimeException e) {
            LOG.warn("ignoring unreadable record {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), r.key(), e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
