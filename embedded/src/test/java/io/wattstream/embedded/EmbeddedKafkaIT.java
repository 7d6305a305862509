package io.wattstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @Test
    void ephemeralBrokerServesTopicsAndDeletesItsDataOnClose() throws Exception {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.startEphemeral()) {
            dir = kafka.dataDir();
            kafka.createPipelineTopics(3);
            assertThat(kafka.topicNames()).containsAll(Topics.all().stream().map(Topics.Topic::name).toList());
            produce(kafka, "shelly.readings.raw", "dev-1", "{\"power\":1}");
            assertThat(consumeAll(kafka, "shelly.readings.raw", 1)).containsExactly("{\"power\":1}");
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void persistentBrokerKeepsRecordsAcrossRestart(@TempDir Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start();
        try {
            kafka.createTopics(EmbeddedKafka.pipelineTopics("custom.raw", 1));
            produce(kafka, "custom.raw", "dev-1", "before-restart");
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            kafka.start();
            produce(kafka, "custom.raw", "dev-1", "after-restart");
            assertThat(consumeAll(kafka, "custom.raw", 2)).containsExactly("before-restart", "after-restart");
        } finally {
            kafka.close();
        }
        assertThat(Files.exists(dir.resolve("kafka"))).as("a given data directory is kept").isTrue();
    }

    private static void produce(EmbeddedKafka kafka, String topic, String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static List<String> consumeAll(EmbeddedKafka kafka, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
