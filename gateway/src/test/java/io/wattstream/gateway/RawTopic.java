package io.wattstream.gateway;

import io.wattstream.model.RawReading;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Reads the raw topic by offsets, so a test can see exactly what one request added. */
public final class RawTopic implements AutoCloseable {

    private final KafkaConsumer<String, RawReading> consumer;
    private final String topic;

    public RawTopic(String bootstrap, String topic) {
        this.topic = topic;
        Map<String, Object> conf = new HashMap<>();
        conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        conf.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        Topics.Topic<RawReading> t = Topics.raw(topic);
        this.consumer = new KafkaConsumer<>(conf, t.keySerde().deserializer(), t.valueSerde().deserializer());
    }

    /** The end offset of every partition. */
    public Map<TopicPartition, Long> endOffsets() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        return consumer.endOffsets(partitions);
    }

    public long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every record between the given offsets and the current end, waiting until all are read. */
    public List<ConsumerRecord<String, RawReading>> since(Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> to = endOffsets();
        long expected = total(to) - total(from);
        consumer.assign(to.keySet());
        from.forEach(consumer::seek);
        List<ConsumerRecord<String, RawReading>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, RawReading> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < to.get(new TopicPartition(r.topic(), r.partition()))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
