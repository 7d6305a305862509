package io.wattstream.notifier;

import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.Device;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes the records the notifier reads and reads back what it writes, on an embedded broker. */
final class Kafka implements AutoCloseable {

    final EmbeddedKafka broker;
    private final KafkaProducer<String, byte[]> producer;

    Kafka(EmbeddedKafka broker) {
        this.broker = broker;
        // Every topic, the notifier's and the acknowledgements' among them, as the deployment creates them.
        broker.createPipelineTopics(3);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    void alert(String topic, Alert a) {
        send(topic, a.deviceId(), Topics.ALERTS.valueSerde().serializer().serialize(topic, a));
    }

    void alert(Alert a) {
        alert(Topics.ALERTS.name(), a);
    }

    void device(Device d) {
        send(Topics.DEVICES.name(), d.deviceId(), Topics.DEVICES.valueSerde().serializer().serialize("", d));
    }

    void ack(AlertAck a) {
        send(Topics.ALERT_ACKS.name(), a.alert().id(),
                Topics.ALERT_ACKS.valueSerde().serializer().serialize("", a));
    }

    void entry(NotifyEntry e) {
        send(Topics.NOTIFY_CHANNELS.name(), e.key(), Topics.NOTIFY_CHANNELS.valueSerde().serializer().serialize("", e));
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("cannot write to " + topic, e);
        }
    }

    /** Everything on a topic right now. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            while (ends.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    @Override
    public void close() {
        producer.close();
        broker.close();
    }
}
