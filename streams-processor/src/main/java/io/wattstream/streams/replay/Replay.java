package io.wattstream.streams.replay;

import io.wattstream.model.Alert;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.TariffSchedule;
import io.wattstream.model.Device;
import io.wattstream.model.Json;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.topology.StreamsTopology;
import io.wattstream.streams.topology.TopologySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes history from the raw log with the current rules, while live processing goes on.
 *
 * <p>Each raw partition is one task of the live application; the replay runs the very topology
 * ({@link StreamsTopology#build}) over it in Kafka Streams' synchronous driver, fresh (empty state),
 * in the partition's order, with the device registry as it is now. So its output is what a fresh
 * pipeline produces from the same raw records. What it does:
 * <ol>
 *   <li>aligns the start down to a whole hour (UTC), so every 1-minute and 1-hour window it writes is
 *       whole;</li>
 *   <li>fixes the end: the raw partitions' end offsets now (later records are the live pipeline's);</li>
 *   <li>reads from a warm-up before the start (the identity retention), so the energy baselines and
 *       identities at the start are those of a pipeline that had been running, and writes nothing from
 *       before the start: no reading older, no window or alert that starts earlier;</li>
 *   <li>deletes the alerts of the range that are closed (CLEARED) or events, except offline alerts,
 *       which follow the wall clock of live processing and are not replayable, and acknowledged ones;
 *       then writes the
 *       readings, alerts and closed windows it computed, each with the {@link Topics#REPLAY_HEADER}
 *       header, to the pipeline's topics, from where the sink upserts them over the old rows. Windows
 *       not closed by the replayed records are not written (the live pipeline closes them).</li>
 * </ol>
 */
public final class Replay {

    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    /** Input records piped between two drains of the driver's outputs: bounds the memory. */
    private static final int DRAIN_EVERY = 2_000;
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * Where to replay from and to.
     *
     * @param bootstrap      Kafka
     * @param topology       the rules, as the live stream processor has them
     * @param jdbcUrl        PostgreSQL, for removing the alerts the rules no longer raise
     */
    public record Target(String bootstrap, TopologySettings topology, String jdbcUrl, String dbUser, String dbPassword) {
    }

    /** What one replay did. */
    public record Result(String id, Instant start, Instant end, long rawRecords, long readings, long alerts,
                         long windows, long sessions, int alertsDeleted, int sessionsDeleted) {
    }

    private final Target target;
    private final Clock clock;

    public Replay(Target target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /** The hour a replay from {@code from} really starts at. */
    public static Instant alignedStart(Instant from) {
        return from.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).toInstant();
    }

    public Result run(Instant from) {
        Instant start = alignedStart(from);
        Instant end = clock.instant();
        String id = "replay-" + start + "-" + end;
        Duration warmUp = target.topology().dedupRetention();
        LOG.info("Replay {}: raw records from {} (warm-up from {}) up to now", id, start, start.minus(warmUp));
        Map<String, byte[]> devices = registry(Topics.DEVICES.name(), Device.class);
        boolean billing = target.topology().sessions().enabled();
        Map<String, byte[]> tariffs = billing ? registry(Topics.TARIFFS.name(), TariffSchedule.class) : Map.of();
        Counts counts = new Counts();
        try (KafkaConsumer<String, byte[]> raw = consumer("raw");
             KafkaProducer<String, byte[]> producer = producer()) {
            List<TopicPartition> parts = raw.partitionsFor(target.topology().rawTopic(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> ends = raw.endOffsets(parts);
            Map<TopicPartition, Long> timeQuery = new HashMap<>();
            parts.forEach(p -> timeQuery.put(p, start.minus(warmUp).toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> begins = raw.offsetsForTimes(timeQuery);
            // A device time may be up to MAX_FUTURE ahead: so far can an alert of a replayed record start.
            Instant until = end.plus(io.wattstream.streams.processors.EventTime.MAX_FUTURE);
            int deleted = deleteReplayableAlerts(start, until);
            int sessionsDeleted = billing ? deleteClosedSessions(start, until) : 0;
            for (TopicPartition p : parts) {
                OffsetAndTimestamp b = begins.get(p);
                long first = b == null ? ends.get(p) : b.offset();
                replayPartition(raw, producer, p, first, ends.get(p), devices, tariffs, start, id, counts);
            }
            producer.flush();
            if (counts.failure.get() != null) {
                throw new IllegalStateException("the replay could not write its results to Kafka: "
                        + counts.failure.get().getMessage(), counts.failure.get());
            }
            Result result = new Result(id, start, end, counts.raw, counts.readings, counts.alerts, counts.windows,
                    counts.sessions, deleted, sessionsDeleted);
            LOG.info("Replay done: {}", result);
            return result;
        }
    }

    private void replayPartition(KafkaConsumer<String, byte[]> raw, KafkaProducer<String, byte[]> producer,
                                 TopicPartition p, long first, long end, Map<String, byte[]> devices,
                                 Map<String, byte[]> tariffs, Instant start, String id, Counts counts) {
        if (first >= end) {
            return;
        }
        Path stateDir = tempDir();
        // The live application's settings (dead-letter handlers included), then the rules and replay mode.
        Properties props = io.wattstream.streams.app.StreamsProperties.defaults();
        target.topology().writeTo(props);
        props.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "wattstream-replay");
        props.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.setProperty(TopologySettings.IN_MEMORY_STORES, "true");
        props.setProperty(StreamsTopology.REPLAY, "true");
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamsTopology.build(props), props)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(target.topology().rawTopic(),
                    new StringSerializer(), new ByteArraySerializer());
            TestInputTopic<String, byte[]> registry = driver.createInputTopic(Topics.DEVICES.name(),
                    new StringSerializer(), new ByteArraySerializer());
            devices.forEach(registry::pipeInput);
            if (!tariffs.isEmpty()) {
                TestInputTopic<String, byte[]> prices = driver.createInputTopic(Topics.TARIFFS.name(),
                        new StringSerializer(), new ByteArraySerializer());
                tariffs.forEach(prices::pipeInput);
            }
            Outputs out = new Outputs(driver, producer, start, id, counts, target.topology().sessions().enabled());
            raw.assign(List.of(p));
            raw.seek(p, first);
            int sinceDrain = 0;
            while (raw.position(p) < end) {
                for (ConsumerRecord<String, byte[]> r : raw.poll(POLL)) {
                    if (r.offset() >= end) {
                        break;
                    }
                    in.pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(), r.timestamp()));
                    counts.raw++;
                    if (++sinceDrain >= DRAIN_EVERY) {
                        out.drain();
                        sinceDrain = 0;
                    }
                }
            }
            out.drain();
        } finally {
            deleteQuietly(stateDir);
        }
    }

    /** Moves the driver's outputs that belong to the replayed range to the pipeline's topics. */
    private static final class Outputs {
        private final KafkaProducer<String, byte[]> producer;
        private final Instant start;
        private final byte[] header;
        private final Counts counts;
        private final TestOutputTopic<String, byte[]> readings;
        private final TestOutputTopic<String, byte[]> alerts;
        private final TestOutputTopic<String, byte[]> win1m;
        private final TestOutputTopic<String, byte[]> win1h;
        private final TestOutputTopic<String, byte[]> win1d;
        private final TestOutputTopic<String, byte[]> sessions;
        private final TestOutputTopic<String, byte[]> dlq;
        private final java.util.concurrent.atomic.AtomicReference<Exception> failure;

        Outputs(TopologyTestDriver driver, KafkaProducer<String, byte[]> producer, Instant start, String id,
                Counts counts, boolean billing) {
            this.producer = producer;
            this.failure = counts.failure;
            this.start = start;
            this.header = id.getBytes(StandardCharsets.UTF_8);
            this.counts = counts;
            this.readings = out(driver, Topics.READINGS.name());
            this.alerts = out(driver, Topics.ALERTS.name());
            this.win1m = out(driver, Topics.READINGS_1M.name());
            this.win1h = out(driver, Topics.READINGS_1H.name());
            this.win1d = out(driver, Topics.READINGS_1D.name());
            this.sessions = billing ? out(driver, Topics.SESSIONS.name()) : null;
            this.dlq = out(driver, Topics.DLQ.name());
        }

        private static TestOutputTopic<String, byte[]> out(TopologyTestDriver driver, String topic) {
            return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
        }

        void drain() {
            counts.readings += forward(Topics.READINGS.name(), readings, Reading.class, r -> !r.timestamp().isBefore(start));
            counts.alerts += forward(Topics.ALERTS.name(), alerts, Alert.class,
                    a -> a.kind() != Alert.Kind.DEVICE_OFFLINE && !a.startedAt().isBefore(start));
            counts.windows += forward(Topics.READINGS_1M.name(), win1m, WindowStats.class,
                    w -> !w.windowStart().isBefore(start));
            counts.windows += forward(Topics.READINGS_1H.name(), win1h, WindowStats.class,
                    w -> !w.windowStart().isBefore(start));
            // A local day is written when it starts at or after the start: replay from a local midnight to re-cost a day.
            counts.windows += forward(Topics.READINGS_1D.name(), win1d, WindowStats.class,
                    w -> !w.windowStart().isBefore(start));
            if (sessions != null) {
                counts.sessions += forward(Topics.SESSIONS.name(), sessions, ChargingSession.class,
                        c -> !c.startedAt().isBefore(start));
            }
            dlq.readRecordsToList(); // dead-lettered when they first arrived; not again
        }

        private <T> long forward(String topic, TestOutputTopic<String, byte[]> from, Class<T> type, Predicate<T> inRange) {
            long n = 0;
            for (TestRecord<String, byte[]> r : from.readRecordsToList()) {
                T value;
                try {
                    value = Json.MAPPER.readValue(r.value(), type);
                } catch (IOException e) {
                    throw new IllegalStateException("the topology wrote an unreadable " + type.getSimpleName(), e);
                }
                if (!inRange.test(value)) {
                    continue;
                }
                RecordHeaders headers = new RecordHeaders();
                headers.add(Topics.REPLAY_HEADER, header);
                producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value(), headers), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                n++;
            }
            return n;
        }
    }

    private static final class Counts {
        final java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        long raw;
        long readings;
        long alerts;
        long windows;
        long sessions;
    }

    /** A registry (devices, tariffs) as it is now: the latest entry of each key, without the removed ones. */
    private Map<String, byte[]> registry(String topic, Class<?> type) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer("registry")) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            c.assign(parts);
            c.seekToBeginning(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else if (readable(r.value(), type)) {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        return latest;
    }

    private static boolean readable(byte[] value, Class<?> type) {
        try {
            Json.MAPPER.readValue(value, type);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The alerts of the range that the replay writes anew: closed ones and events. Offline alerts are
     * left (not replayable); so are alerts still RAISED, which the live pipeline holds open and will
     * close itself, and acknowledged ones.
     */
    private int deleteReplayableAlerts(Instant start, Instant end) {
        // An acknowledged alert stays: someone acted on it, and its acknowledgement is on no replayed topic.
        return delete("alerts", "delete from alert where started_at >= ? and started_at < ? and state <> 'RAISED' "
                + "and kind <> '" + Alert.Kind.DEVICE_OFFLINE.name() + "' and acked_at is null", start, end);
    }

    /**
     * The closed sessions that started in the range: the replay writes those its rules find (a corrected
     * tariff, other levels may change them). Open ones are the live pipeline's.
     */
    private int deleteClosedSessions(Instant start, Instant end) {
        return delete("closed sessions", "delete from charging_session where started_at >= ? and started_at < ? "
                + "and state = 'CLOSED'", start, end);
    }

    /** Runs a delete of the rows that started in [start, end); the replay writes anew what its rules find. */
    private int delete(String what, String sql, Instant start, Instant end) {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.dbUser(), target.dbPassword());
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, start.atOffset(ZoneOffset.UTC));
            ps.setObject(2, end.atOffset(ZoneOffset.UTC));
            int n = ps.executeUpdate();
            LOG.info("Removed {} {} between {} and {}; the replay writes those its rules find", n, what, start, end);
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove the replayed range's " + what + " from PostgreSQL: "
                    + e.getMessage(), e);
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String purpose) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "wattstream-replay-" + purpose);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "wattstream-replay");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("wattstream-replay-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.toList());
            java.util.Collections.reverse(all);
            for (Path f : all) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", dir, e.toString());
        }
    }
}
