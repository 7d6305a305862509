package io.wattstream.model;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every Wattstream topic, each paired with its serdes. Keys are device ids (tariffs: their scope). */
public final class Topics {

    /** A topic name with its key and value serdes. */
    public record Topic<V>(String name, Serde<String> keySerde, Serde<V> valueSerde) {
        /** The same contract under another name (the raw topic's name can be configured). */
        public Topic<V> named(String otherName) {
            return new Topic<>(otherName, keySerde, valueSerde);
        }
    }

    /**
     * Partitions of every pipeline topic unless configured ({@code TOPIC_PARTITIONS} in the deployment,
     * {@code app.topic-partitions} in the stream processor). Three: one partition each for the three
     * stream processors the deployment scales to (and the readings connector's three tasks), and few
     * enough that the one-JVM local stack keeps a small set of state stores and starts quickly. The count
     * bounds how many instances share the work: choose more before a deployment first creates its
     * topics, since adding partitions later moves devices to other partitions (and their state with them).
     */
    public static final int DEFAULT_PARTITIONS = 3;

    /**
     * Header on every record a replay writes (value: the replay's id). Consumers that show live events
     * (the query API's live feed, the dashboard) skip such records; the sink stores them like any other.
     */
    public static final String REPLAY_HEADER = "wattstream.replay";

    /**
     * How long the raw topic keeps readings unless configured otherwise: a year and a day, so any month
     * of the past year can be replayed. About 420 bytes a reading on disk (uncompressed): 6.6 GB a year
     * for a device reporting every 2 s, 1.3 GB for one every 10 s.
     */
    public static final Duration DEFAULT_RAW_RETENTION = Duration.ofDays(366);

    /** Environment variable that renames the raw topic, kept from the prototype. */
    public static final String RAW_TOPIC_ENV = "KAFKA_TOPIC";

    public static final Topic<RawReading> RAW = of("shelly.readings.raw", RawReading.class);
    public static final Topic<Reading> READINGS = of("shelly.readings", Reading.class);
    public static final Topic<Alert> ALERTS = of("shelly.alerts", Alert.class);
    public static final Topic<WindowStats> READINGS_1M = of("shelly.readings.1m", WindowStats.class);
    public static final Topic<WindowStats> READINGS_1H = of("shelly.readings.1h", WindowStats.class);
    /** Daily aggregates per meter: local calendar days of its site, with cost. */
    public static final Topic<WindowStats> READINGS_1D = of("shelly.readings.1d", WindowStats.class);
    /** Charging sessions: OPENED, UPDATED (at most every few seconds) and CLOSED events. */
    public static final Topic<ChargingSession> SESSIONS = of("shelly.sessions", ChargingSession.class);
    /** Compacted device registry. */
    public static final Topic<Device> DEVICES = of("shelly.devices", Device.class);
    /** Compacted tariffs, one record per scope ({@code default}, {@code site:<site>}, {@code meter:<id>}). */
    public static final Topic<TariffSchedule> TARIFFS = of("shelly.tariffs", TariffSchedule.class);
    /** Dead letters keep the original bytes, so their value is raw. */
    public static final Topic<byte[]> DLQ = new Topic<>("shelly.dlq", Serdes.String(), Serdes.ByteArray());

    /** Compacted: notification channels and routes ({@link NotifyEntry}), keys {@code channel:<id>} / {@code route:<id>}. */
    public static final Topic<NotifyEntry> NOTIFY_CHANNELS = of("shelly.notify-channels", NotifyEntry.class);
    /** The notifier's outcomes, one per transition and channel (key device id). */
    public static final Topic<NotifyDelivery> NOTIFY_LOG = of("shelly.notify-log", NotifyDelivery.class);
    /** Transitions the notifier gave up on: the alert's bytes, with {@link DeadLetter} headers. */
    public static final Topic<byte[]> NOTIFY_DLQ = new Topic<>("shelly.notify-dlq", Serdes.String(), Serdes.ByteArray());

    /** Compacted: acknowledgements of alerts ({@link AlertAck}); the notifier stops repeating an acknowledged alert. */
    public static final Topic<AlertAck> ALERT_ACKS = of("shelly.alert-acks", AlertAck.class);

    /** Registries: only the latest value of each key counts. */
    private static final Set<String> COMPACTED =
            Set.of(DEVICES.name(), TARIFFS.name(), NOTIFY_CHANNELS.name(), ALERT_ACKS.name());

    /** All pipeline topics, for creating them at start-up. */
    public static List<Topic<?>> all() {
        return List.of(RAW, READINGS, ALERTS, READINGS_1M, READINGS_1H, READINGS_1D, SESSIONS, DEVICES, TARIFFS, DLQ,
                NOTIFY_CHANNELS, NOTIFY_LOG, NOTIFY_DLQ, ALERT_ACKS);
    }

    /** The topics the notifier creates when missing (it reads the others): a subset of {@link #specs()}. */
    public static List<TopicSpec> notifierSpecs() {
        Set<String> own = Set.of(NOTIFY_CHANNELS.name(), NOTIFY_LOG.name(), NOTIFY_DLQ.name(), ALERT_ACKS.name());
        return specs().stream().filter(t -> own.contains(t.name())).toList();
    }

    /** How every pipeline topic is created, in {@link #all()} order, with the default raw topic name. */
    public static List<TopicSpec> specs() {
        return specs(RAW.name());
    }

    /** As {@link #specs()}, with the raw topic under its configured name. */
    public static List<TopicSpec> specs(String rawTopicName) {
        return specs(rawTopicName, DEFAULT_RAW_RETENTION);
    }

    /** As {@link #specs()}, with the raw topic under its configured name and retention. */
    public static List<TopicSpec> specs(String rawTopicName, Duration rawRetention) {
        return all().stream().map(t -> {
            if (t.name().equals(RAW.name())) {
                return TopicSpec.deleting(rawTopicName).withRetention(rawRetention);
            }
            TopicSpec spec = COMPACTED.contains(t.name()) ? TopicSpec.compacted(t.name()) : TopicSpec.deleting(t.name());
            // One partition: a route is read after the channel written just before it.
            return t == NOTIFY_CHANNELS ? spec.withPartitions(1) : spec;
        }).toList();
    }

    /** The raw topic as configured: {@code KAFKA_TOPIC} when set, else the default name. */
    public static Topic<RawReading> raw(String configuredName) {
        return configuredName == null || configuredName.isBlank() ? RAW : RAW.named(configuredName);
    }

    private static <V> Topic<V> of(String name, Class<V> type) {
        return new Topic<>(name, Serdes.String(), new JsonSerde<>(type));
    }

    private Topics() {
    }
}
