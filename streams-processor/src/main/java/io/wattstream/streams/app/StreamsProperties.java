package io.wattstream.streams.app;

import io.wattstream.model.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import io.wattstream.streams.processors.DeadLetterHandler;

/** The Kafka Streams settings every Wattstream instance runs with (tests included). */
public final class StreamsProperties {

    public static final String DEFAULT_APPLICATION_ID = "wattstream-streams";
    /** Enriched readings become visible to read_committed consumers at each commit. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;
    public static final long DEFAULT_CACHE_BYTES = 10 * 1024 * 1024;

    public static Properties defaults() {
        Properties p = new Properties();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(DEFAULT_COMMIT_INTERVAL_MS));
        // The cache fronts the per-meter stores, written with each reading of a meter and needed by their
        // changelogs once per commit; it is flushed at every commit, so it never delays a reading. A store
        // that runs out of room writes its oldest entry to its changelog at each put, so it holds every
        // meter's entries of one commit interval with room to spare (it grows with the meters, no more).
        p.setProperty(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(DEFAULT_CACHE_BYTES));
        p.setProperty(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        p.setProperty(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DLQ.name());
        p.setProperty(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Records arrive per device in gateway order; waiting for other partitions buys nothing here.
        p.setProperty(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0");
        p.setProperty(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.setProperty(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
        // Right after a commit the broker may still be finishing the previous transaction and answers
        // CONCURRENT_TRANSACTIONS; the default 100 ms back-off would then delay the next transaction's
        // first records by that much (the retries themselves are harmless).
        p.setProperty(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "10");
        return p;
    }

    private StreamsProperties() {
    }
}
