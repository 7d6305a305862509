package io.wattstream.gateway;

import io.wattstream.model.RawReading;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes readings to the raw topic and returns only once the broker has acknowledged every one
 * of them ({@code acks=all}, idempotent), or throws a 503 {@link Rejection} when that does not
 * happen within the publish timeout. Sends are asynchronous, so concurrent requests share batches.
 */
public final class ReadingPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingPublisher.class);

    private final Producer<String, RawReading> producer;
    private final Topics.Topic<RawReading> topic;
    private final Duration timeout;

    public ReadingPublisher(GatewaySettings settings) {
        this.topic = Topics.raw(settings.topic());
        this.timeout = settings.publishTimeout();
        this.producer = new KafkaProducer<>(producerConfig(settings),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    static Map<String, Object> producerConfig(GatewaySettings s) {
        long timeoutMs = Math.max(1_000, s.publishTimeout().toMillis());
        long lingerMs = s.linger().toMillis();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "wattstream-gateway");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A short linger lets concurrent requests share one produce request without adding visible latency.
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // Give up on a record about when the client is told 503, so a reading the client will retry is
        // unlikely to also land late. The producer needs delivery >= linger + request timeout.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, timeoutMs - lingerMs - 100));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        p.putAll(s.producerOverrides());
        return p;
    }

    public String topicName() {
        return topic.name();
    }

    /** Sends every reading keyed by its device id and waits, bounded, for all acknowledgements. */
    public List<RecordMetadata> publish(List<RawReading> readings) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(readings.size());
        try {
            for (RawReading r : readings) {
                CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
                producer.send(new ProducerRecord<>(topic.name(), r.deviceId(), r), (md, e) -> {
                    if (e != null) {
                        ack.completeExceptionally(e);
                    } else {
                        ack.complete(md);
                    }
                });
                acks.add(ack);
            }
            CompletableFuture<?> all = acks.size() == 1 ? acks.get(0) : CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
            all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return acks.stream().map(CompletableFuture::join).toList();
        } catch (TimeoutException e) {
            throw unavailable(readings.size(), "no acknowledgement within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw unavailable(readings.size(), e.getCause().toString(), e.getCause());
        } catch (KafkaException e) {
            // send() itself fails when the topic's metadata cannot be fetched within max.block.ms.
            throw unavailable(readings.size(), e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(readings.size(), "interrupted", e);
        }
    }

    private Rejection unavailable(int count, String why, Throwable cause) {
        LOG.warn("publishing {} reading(s) to {} failed: {}", count, topic.name(), why);
        return new Rejection(Reason.KAFKA_UNAVAILABLE, "Kafka did not acknowledge the reading within "
                + timeout.toMillis() + " ms; retry later", cause);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
