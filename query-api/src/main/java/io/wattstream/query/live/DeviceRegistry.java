package io.wattstream.query.live;

import io.wattstream.model.Device;
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
 * The device registry: a local table of the compacted {@code shelly.devices} topic, kept by a
 * background consumer that reads it from the beginning (no consumer group: every instance holds
 * the whole table), and the writer for updates ({@code acks=all}).
 */
public final class DeviceRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    /** Next offset to read per partition; updates wait on it to see their own write. */
    private final Map<Integer, Long> positions = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, Device> producer;
    private final Thread thread;
    private volatile boolean running = true;

    public DeviceRegistry(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-api-device-registry");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Raw bytes: one malformed entry is skipped with a warning instead of stopping the consumer.
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "query-api-device-writer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A PUT waits for the ack; with the broker gone it must fail (503) in seconds, not minutes.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis() - 1000));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), Topics.DEVICES.valueSerde().serializer());

        thread = Thread.ofPlatform().name("query-api-device-registry").daemon().unstarted(this::run);
        thread.start();
    }

    public Optional<Device> get(String deviceId) {
        return Optional.ofNullable(devices.get(deviceId));
    }

    public Map<String, Device> all() {
        return Map.copyOf(devices);
    }

    /**
     * Writes the entry and returns once the broker has acknowledged it on all in-sync replicas and
     * this instance's table shows it (so a GET right after the PUT sees the change).
     */
    public Device put(Device device) {
        RecordMetadata md;
        try {
            md = producer.send(new ProducerRecord<>(Topics.DEVICES.name(), device.deviceId(), device))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw ApiException.unavailable("device registry (Kafka) did not acknowledge the update: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while writing the device registry", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw ApiException.unavailable("device registry (Kafka) refused the update: " + e.getClass().getSimpleName(), e);
        }
        if (!awaitPosition(md.partition(), md.offset() + 1, Duration.ofSeconds(5))) {
            // Stored durably already; the local table just lags. Show the write rather than hide it.
            devices.put(device.deviceId(), device);
        }
        LOG.info("Device {} registry entry written at {}-{}@{}", device.deviceId(), md.topic(), md.partition(), md.offset());
        return device;
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
            LOG.error("Device registry consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            LOG.warn("Skipping registry record without key at {}-{}@{}", r.topic(), r.partition(), r.offset());
        } else if (r.value() == null) {
            devices.remove(r.key()); // tombstone: the device was unregistered
        } else {
            try {
                Device d = Json.MAPPER.readValue(r.value(), Device.class);
                devices.put(r.key(), new Device(r.key(), d.name(), d.site(), d.thresholdW(), d.maxPowerW()));
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
                List<PartitionInfo> infos = consumer.partitionsFor(Topics.DEVICES.name(), Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    List<TopicPartition> parts = new ArrayList<>();
                    infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                    return parts;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("Topic {} not reachable yet: {}", Topics.DEVICES.name(), e.getMessage());
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
