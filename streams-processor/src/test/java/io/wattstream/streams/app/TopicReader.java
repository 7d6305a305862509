package io.wattstream.streams.app;

import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic the way a downstream consumer of an exactly-once application must: read_committed. */
final class TopicReader<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    TopicReader(String bootstrap, Topics.Topic<V> topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code done} holds for the matching records read so far, or fails at the deadline. */
    List<V> awaitValues(Predicate<ConsumerRecord<String, V>> filter, Predicate<List<V>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<V> values = values(filter);
            if (done.test(values)) {
                return values;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met after " + timeout + "; have " + values.size() + " records");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
    }

    /** Keeps polling for {@code quiet} to pick up anything late (a duplicate would show up here). */
    List<V> drain(Predicate<ConsumerRecord<String, V>> filter, Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return values(filter);
    }

    List<ConsumerRecord<String, V>> records() {
        return List.copyOf(seen);
    }

    private List<V> values(Predicate<ConsumerRecord<String, V>> filter) {
        return seen.stream().filter(filter).map(ConsumerRecord::value).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
