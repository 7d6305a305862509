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
/**
 * The live feed behind {@code /api/stream}: consumers of {@code shelly.readings}, {@code shelly.alerts},
 * {@code shelly.alert-acks} and {@code shelly.sessions} (from the latest offset, no consumer group: every instance sees
 * everything) publishing into the {@link EventHub} that fans out to the clients. An alert event carries
 * the alert's {@code id}, an acknowledgement event the id of the alert it acknowledges. Records a replay
 * wrote (header {@link Topics#REPLAY_HEADER}) are history, not live events: skipped.
 *
 * <p>Alerts, acknowledgements and sessions are read committed. Readings are too, unless {@code uncommittedReadings}:
 * then they are shown as soon as the stream processor writes them, without waiting for its
 * exactly-once commit (up to the commit interval sooner). A reading written in a transaction that then
 * aborts is written again when the input is reprocessed, with the same identity (device and
 * {@code timestamp}), so {@link RecentReadings} shows it once. Stored data is not affected: the sink
 * reads committed records only.
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
    private final List<Lane> lanes;

    public LiveFeed(String bootstrap, EventHub hub) {
        this(bootstrap, hub, false);
    }

    public LiveFeed(String bootstrap, EventHub hub, boolean uncommittedReadings) {
        this.hub = hub;
        this.lanes = uncommittedReadings
                ? List.of(new Lane(bootstrap, List.of(Topics.READINGS.name()), "read_uncommitted", new RecentReadings()),
                        new Lane(bootstrap, TOPICS.subList(1, TOPICS.size()), "read_committed", null))
                : List.of(new Lane(bootstrap, TOPICS, "read_committed", null));
        lanes.forEach(Lane::start);
    }

    /** True once the consumers are positioned at the end of their topics (events from now on are delivered). */
    public boolean ready() {
        return lanes.stream().allMatch(l -> l.assigned);
    }

    /** One consumer of some of the topics, on its own thread. */
    private final class Lane {
        private final List<String> topics;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        /** Drops readings shown already; null when every record is committed (no duplicates). */
        private final RecentReadings recent;
        private volatile boolean running = true;
        private volatile boolean assigned;

        Lane(String bootstrap, List<String> topics, String isolation, RecentReadings recent) {
            this.topics = topics;
            this.recent = recent;
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, "query-api-live-feed-" + (recent != null ? "readings" : String.join("-", topics)));
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
            thread = Thread.ofPlatform().name("query-api-live-feed").daemon().unstarted(this::run);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try {
                List<TopicPartition> parts = Partitions.await(consumer, topics, () -> running);
                if (parts.isEmpty()) {
                    return;
                }
                consumer.assign(parts);
                consumer.seekToEnd(parts);
                parts.forEach(consumer::position); // resolve "end" now, so "ready" means what it says
                assigned = true;
                LOG.info("Live feed consuming {} partitions of {}{}", parts.size(), topics, recent != null ? " (uncommitted)" : "");
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        publish(r);
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

        private void publish(ConsumerRecord<String, byte[]> r) {
            if (r.headers().lastHeader(Topics.REPLAY_HEADER) != null || r.value() == null) {
                return; // recomputed history, or a tombstone: not a live event
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
                if (recent != null && name.equals(READING) && !recent.firstSight(device, node.path("timestamp").asText())) {
                    return; // written again after an aborted transaction: shown already
                }
                // Re-serialised compactly: one line per event whatever the producer wrote.
                hub.publish(name, device, Json.MAPPER.writeValueAsString(node));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                        e.getClass().getSimpleName());
            }
        }

        void stop() {
            running = false;
            consumer.wakeup();
        }

        void join() {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        lanes.forEach(Lane::stop);
        hub.dropAll(); // ends open SSE streams so the server can stop promptly
        lanes.forEach(Lane::join);
    }
}
