package io.wattstream.query.live;

import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local table of a compacted topic (the device registry, the notification channels): a background
 * consumer reads it from the beginning (no consumer group: every instance holds the whole table), and
 * a write through {@link #put} or {@link #delete} returns once the broker acknowledged it and this
 * table shows it, so a read right after a write sees the change. A value that cannot be read is
 * skipped with a warning (never its content); a tombstone removes its key.
 *
 * @param <V> the topic's value type
 */
public final class TopicTable<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTable.class);

    private final Topics.Topic<V> topic;
    private final TopicWriter writer;
    private final String what;
    private final BiFunction<String, V, V> normalize;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    /** Next offset to read per partition; writes wait on it to see their own record. */
    private final Map<Integer, Long> positions = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param what      names the table in logs and errors ("device registry")
     * @param normalize applied to each value read, with its key (e.g. the key is the device id)
     */
    public TopicTable(String bootstrap, Topics.Topic<V> topic, TopicWriter writer, String what, BiFunction<String, V, V> normalize) {
        this.topic = topic;
        this.writer = writer;
        this.what = what;
        this.normalize = normalize;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-api-" + topic.name());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Raw bytes: one malformed entry is skipped with a warning instead of stopping the consumer.
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        thread = Thread.ofPlatform().name("query-api-" + topic.name()).daemon().unstarted(this::run);
        thread.start();
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, V> all() {
        return Map.copyOf(values);
    }

    /** Writes the value and returns once it is acknowledged and (normally) in this table. */
    public V put(String key, V value) {
        RecordMetadata md = writer.write(topic, key, value, what);
        if (!awaitPosition(md.partition(), md.offset() + 1, Duration.ofSeconds(5))) {
            // Stored durably already; the local table just lags. Show the write rather than hide it.
            values.put(key, normalize.apply(key, value));
        }
        LOG.info("{} entry {} written at {}-{}@{}", what, key, md.topic(), md.partition(), md.offset());
        return value;
    }

    /** Writes a tombstone for {@code key} and returns once it is acknowledged and gone from this table. */
    public void delete(String key) {
        RecordMetadata md = writer.write(topic, key, null, what);
        if (!awaitPosition(md.partition(), md.offset() + 1, Duration.ofSeconds(5))) {
            values.remove(key);
        }
        LOG.info("{} entry {} deleted at {}-{}@{}", what, key, md.topic(), md.partition(), md.offset());
    }

    private boolean awaitPosition(int partition, long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (positions) {
            while (positions.getOrDefault(partition, -1L) < offset) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    positions.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void run() {
        try {
            List<TopicPartition> parts = Partitions.await(consumer, List.of(topic.name()), () -> running);
            if (parts.isEmpty()) {
                return;
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
                synchronized (positions) {
                    for (TopicPartition tp : parts) {
                        positions.put(tp.partition(), consumer.position(tp));
                    }
                    positions.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("{} consumer stopped", what, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            LOG.warn("Skipping {} record without key at {}-{}@{}", what, r.topic(), r.partition(), r.offset());
        } else if (r.value() == null) {
            values.remove(r.key());
        } else {
            try {
                values.put(r.key(), normalize.apply(r.key(), topic.valueSerde().deserializer().deserialize(r.topic(), r.value())));
            } catch (RuntimeException e) {
                LOG.warn("Skipping unreadable {} record at {}-{}@{}: {}", what, r.topic(), r.partition(), r.offset(),
                        e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
