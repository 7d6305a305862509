package io.wattstream.query.live;

import io.wattstream.model.Json;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.query.api.ApiException;

/**
 * A registry on a compacted topic (devices, tariffs): a local table of the topic, kept by a background
 * consumer that reads it from the beginning (no consumer group: every instance holds the whole table),
 * and the writer for updates ({@code acks=all}).
 */
final class RegistryTopic<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTopic.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final Topics.Topic<V> topic;
    private final String what;
    /** The value as kept under its key (e.g. with the key as its id). */
    private final BiFunction<String, V, V> normal;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final com.fasterxml.jackson.databind.ObjectReader reader;
    /** Next offset to read per partition; updates wait on it to see their own write. */
    private final Map<Integer, Long> positions = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, V> producer;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param what the registry's name in logs, errors and client ids ({@code device}, {@code tariff}) */
    RegistryTopic(String bootstrap, Topics.Topic<V> topic, Class<V> type, String what, BiFunction<String, V, V> normal) {
        this.topic = topic;
        this.what = what;
        this.normal = normal;
        this.reader = Json.MAPPER.readerFor(type);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-api-" + what + "-registry");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Raw bytes: one malformed entry is skipped with a warning instead of stopping the consumer.
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "query-api-" + what + "-writer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A PUT waits for the ack; with the broker gone it must fail (503) in seconds, not minutes.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis() - 1000));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), topic.valueSerde().serializer());

        thread = Thread.ofPlatform().name("query-api-" + what + "-registry").daemon().unstarted(this::run);
        thread.start();
    }

    Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    Map<String, V> all() {
        return Map.copyOf(values);
    }

    /**
     * Writes the entry (null: removes it) and returns once the broker has acknowledged it on all in-sync
     * replicas and this instance's table shows it (so a GET right after the PUT sees the change).
     */
    void put(String key, V value) {
        RecordMetadata md;
        try {
            md = producer.send(new ProducerRecord<>(topic.name(), key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw ApiException.unavailable(what + " registry (Kafka) did not acknowledge the update: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while writing the " + what + " registry", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw ApiException.unavailable(what + " registry (Kafka) refused the update: " + e.getClass().getSimpleName(), e);
        }
        if (!awaitPosition(md.partition(), md.offset() + 1, Duration.ofSeconds(5))) {
            // Stored durably already; the local table just lags. Show the write rather than hide it.
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
        }
        LOG.info("{} registry entry {} {} at {}-{}@{}", what, key, value == null ? "removed" : "written", md.topic(),
                md.partition(), md.offset());
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
            List<TopicPartition> parts = awaitPartitions();
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
            LOG.error("{} registry consumer stopped", what, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            LOG.warn("Skipping registry record without key at {}-{}@{}", r.topic(), r.partition(), r.offset());
        } else if (r.value() == null) {
            values.remove(r.key()); // tombstone: the entry was removed
        } else {
            try {
                values.put(r.key(), normal.apply(r.key(), reader.readValue(r.value())));
            } catch (java.io.IOException e) {
                LOG.warn("Skipping unreadable registry record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                        e.getClass().getSimpleName());
            }
        }
    }

    /** The topic may not exist yet when this starts before the pipeline has created it. */
    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    List<TopicPartition> parts = new ArrayList<>();
                    infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                    return parts;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("Topic {} not reachable yet: {}", topic.name(), e.getMessage());
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
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
