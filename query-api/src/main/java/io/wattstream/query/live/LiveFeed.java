package io.wattstream.query.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.AlertKey;
import io.wattstream.model.Json;
import io.wattstream.model.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed behind {@code /api/stream}: ONE consumer of {@code shelly.readings},
 * {@code shelly.alerts}, {@code shelly.alert-acks} and {@code shelly.sessions} (committed records only,
 * from the latest offset, no consumer group: every instance sees everything) publishing into the
 * {@link EventHub} that fans out to the clients. An alert event carries the alert's {@code id}, an
 * acknowledgement event the id of the alert it acknowledges. Records a replay wrote (header
 * {@link Topics#REPLAY_HEADER}) are history, not live events: skipped.
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    static final String READING = "reading";
    static final String ALERT = "alert";
    static final String ACK = "ack";
    static final String SESSION = "session";
    private static final List<String> TOPICS = List.of(Topics.READINGS.name(), Topics.ALERTS.name(),
            Topics.ALERT_ACKS.name(), Topics.SESSIONS.name());

    private final EventHub hub;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;

    public LiveFeed(String bootstrap, EventHub hub) {
        this.hub = hub;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-api-live-feed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // The stream processor writes with exactly-once transactions: never show an aborted record.
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        thread = Thread.ofPlatform().name("query-api-live-feed").daemon().unstarted(this::run);
        thread.start();
    }

    /** True once the consumer is positioned at the end of its topics (events from now on are delivered). */
    public boolean ready() {
        return assigned;
    }
    private void run() {
        try {
            List<TopicPartition> parts = Partitions.await(consumer, TOPICS, () -> running);
            if (parts.isEmpty()) {
                return;
            }
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve "end" now, so "ready" means what it says
            assigned = true;
            LOG.info("Live feed consuming {} partitions of {}", parts.size(), TOPICS);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.headers().lastHeader(Topics.REPLAY_HEADER) != null || r.value() == null) {
                        continue; // recomputed history, or a tombstone: not a live event
                    }
                    String name = r.topic().equals(Topics.ALERTS.name()) ? ALERT
                            : r.topic().equals(Topics.ALERT_ACKS.name()) ? ACK
                            : r.topic().equals(Topics.SESSIONS.name()) ? SESSION : READING;
                    try {
                        JsonNode node = Json.MAPPER.readTree(r.value());
                        if (name.equals(ALERT) && node instanceof ObjectNode alert) {
                            alert.put("id", AlertKey.of(Json.MAPPER.treeToValue(node, Alert.class)).id());
                        } else if (name.equals(ACK) && node instanceof ObjectNode ack) {
                            ack.put("id", Json.MAPPER.treeToValue(node, AlertAck.class).alert().id());
                        }
                        // An acknowledgement's key is its alert's id; the others are keyed by device.
                        String device = !name.equals(ACK) && r.key() != null ? r.key() : node.path("device_id").asText();
                        // Re-serialised compactly: one line per event whatever the producer wrote.
                        hub.publish(name, device, Json.MAPPER.writeValueAsString(node));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Skipping unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                e.getClass().getSimpleName());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Live feed consumer stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        hub.dropAll(); // ends open SSE streams so the server can stop promptly
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
