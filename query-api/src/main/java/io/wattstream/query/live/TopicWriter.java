package io.wattstream.query.live;

import io.wattstream.model.Topics;
import io.wattstream.query.api.ApiException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The query API's one producer for what its endpoints write (registries, channels, acknowledgements):
 * {@code acks=all}, idempotent, and each write waits for the broker's acknowledgement, so an endpoint
 * answers 2xx only for what is durably stored. A broker that does not acknowledge in time is a 503.
 */
public final class TopicWriter implements AutoCloseable {

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, byte[]> producer;

    public TopicWriter(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "query-api-writer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A write waits for the ack; with the broker gone it must fail (503) in seconds, not minutes.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis() - 1000));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Writes {@code value} (null: a tombstone) under {@code key} and returns once the broker has
     * acknowledged it on all in-sync replicas; {@code what} names it in the 503 otherwise.
     */
    public <V> RecordMetadata write(Topics.Topic<V> topic, String key, V value, String what) {
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            return producer.send(new ProducerRecord<>(topic.name(), key, bytes))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw ApiException.unavailable(what + " (Kafka) did not acknowledge the write: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while writing " + what, e);
        } catch (KafkaException e) {
            throw ApiException.unavailable(what + " (Kafka) refused the write: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
