package io.wattstream.streams.topology;

import io.wattstream.model.Device;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import io.wattstream.streams.processors.AlertProcessor;
import io.wattstream.streams.processors.DailyProcessor;
import io.wattstream.streams.processors.PriceProcessor;
import io.wattstream.streams.processors.ScopePrices;
import io.wattstream.streams.processors.SessionProcessor;
import io.wattstream.streams.processors.DeduplicateProcessor;
import io.wattstream.streams.processors.EnergyProcessor;
import io.wattstream.streams.processors.Enriched;
import io.wattstream.streams.processors.LateMarker;
import io.wattstream.streams.processors.Measured;
import io.wattstream.streams.processors.OverlayProcessor;
import io.wattstream.streams.processors.ParseProcessor;
import io.wattstream.streams.processors.Parsed;
import java.util.List;
import io.wattstream.streams.processors.DayPart;
import io.wattstream.streams.processors.WindowFeed;
import io.wattstream.streams.processors.HourWindows;
import io.wattstream.streams.processors.MinuteWindows;

/**
 * The Wattstream topology: raw readings in; enriched and priced readings, alerts, charging sessions,
 * final 1-minute, 1-hour and daily aggregates and dead letters out. A pure function of its properties,
 * called as-is by the tests.
 *
 * <pre>
 * raw (bytes) -> parse-validate -+-> dlq
 *                                +-> drop-duplicates (identity) -> overlay-partials -> enrich-with-device
 *                                    -> energy-delta -> price-reading (tariffs) -> mark-late -+-> readings
 *                                    +-> alerts (power, device errors, temperature, counter resets, offline)
 *                                    +-> charging-sessions -> sessions
 *                                    +-> window-1m-final (what is on time for its minute) -> .1m
 *                                        +-> window-1h-final (closed minutes, what is late for its minute only) -> .1h
 *                                        +-> daily-aggregate (the same, by local day) -> .1d
 * </pre>
 */
public final class StreamsTopology {

    public static final Duration WINDOW_1M = Duration.ofMinutes(1);
    public static final Duration GRACE_1M = Duration.ofSeconds(30);
    public static final Duration WINDOW_1H = Duration.ofHours(1);
    public static final Duration GRACE_1H = Duration.ofMinutes(5);
    /**
     * A local day closes once every hour window overlapping it has closed (an hour past its end, for zones
     * offset by half an hour, plus the hours' grace): a reading on time for its hour is always in its day.
     */
    public static final Duration GRACE_1D = WINDOW_1H.plus(GRACE_1H);
    /** How long after its end {@code /state} still shows a closed minute or hour (as the window stores did). */
    static final Duration RETENTION_1M = Duration.ofMinutes(30);
    static final Duration RETENTION_1H = Duration.ofHours(3);

    private static final Serde<String> KEYS = Serdes.String();
    /** Set by a replay: the same rules, without the wall-clock offline checks (see the README, "Replay"). */
    public static final String REPLAY = TopologySettings.PREFIX + "replay";

    /**
     * Builds the topology. Processing choices come from {@link TopologySettings} keys in {@code props};
     * {@code application.id} and {@code bootstrap.servers} may be absent (they do not shape the topology).
     */
    public static Topology build(Properties props) {
        return build(props, StreamsTopology::windows);
    }

    /** What the topology makes of the readings marked late or on time: its windows and days. */
    interface Windowing {
        void add(StreamsBuilder builder, KStream<String, Measured> measured, TopologySettings settings,
                 StoreSuppliers stores);
    }

    static Topology build(Properties props, Windowing windowing) {
        TopologySettings settings = TopologySettings.from(props);
        Properties withDefaults = new Properties();
        withDefaults.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "wattstream-streams");
        withDefaults.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        withDefaults.putAll(props);
        // Refuse any generated processor, store or topic name: a name change on redeploy would orphan state.
        withDefaults.setProperty(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(withDefaults)));

        StoreSuppliers stores = new StoreSuppliers(settings.inMemoryStores());
        addStores(builder, settings, stores);

        GlobalKTable<String, Device> devices = builder.globalTable(Topics.DEVICES.name(),
                Consumed.with(KEYS, Topics.DEVICES.valueSerde()).withName("devices-source"),
                Materialized.<String, Device>as(stores.keyValue(StoreNames.DEVICES))
                        .withKeySerde(KEYS).withValueSerde(Topics.DEVICES.valueSerde()));

        KStream<String, Parsed> parsed = builder
                .stream(settings.rawTopic(), Consumed.with(KEYS, Serdes.ByteArray()).withName("raw-source"))
                .processValues(ParseProcessor::new, Named.as("parse-validate"));

        KStream<String, RawReading> valid = parsed.split(Named.as("parsed-"))
                .branch((k, v) -> v.isRejected(), Branched.withConsumer(rejected -> rejected
                        .mapValues(Parsed::original, Named.as("dlq-original-bytes"))
                        .to(Topics.DLQ.name(), Produced.with(KEYS, Serdes.ByteArray()).withName("dlq-sink")),
                        "rejected"))
                .defaultBranch(Branched.withFunction(ok -> ok, "valid"))
                .get("parsed-valid")
                .mapValues(Parsed::reading, Named.as("valid-reading"));

        TopologySettings.SessionRules sessions = settings.sessions();
        if (sessions.enabled()) {
            TariffSerde tariffSerde = new TariffSerde();
            builder.globalTable(Topics.TARIFFS.name(),
                    Consumed.with(KEYS, tariffSerde).withName("tariffs-source"),
                    Materialized.<String, ScopePrices>as(stores.keyValue(StoreNames.TARIFFS))
                            .withKeySerde(KEYS).withValueSerde(tariffSerde));
        }

        KStream<String, Measured> withDeltas = valid
                .processValues(DeduplicateProcessor::new, Named.as("drop-duplicates"), StoreNames.IDENTITY)
                .processValues(() -> new OverlayProcessor(settings.maxHeldPartials()),
                        Named.as("overlay-partials"), StoreNames.LATEST_READING, StoreNames.METER_STATE,
                        StoreNames.HELD_PARTIALS)
                .leftJoin(devices, (device, meter) -> device,
                        (meter, device) -> Enriched.of(meter, device, settings.defaultThresholdW(),
                                settings.energy().defaultMaxPowerW()),
                        Named.as("enrich-with-device"))
                .processValues(() -> new EnergyProcessor(settings.energy()), Named.as("energy-delta"),
                        StoreNames.LATEST_READING);
        KStream<String, Measured> priced = sessions.enabled()
                ? withDeltas.processValues(() -> new PriceProcessor(sessions.defaultTimeZone()), Named.as("price-reading"))
                : withDeltas;
        KStream<String, Measured> measured = priced
                .processValues(() -> new LateMarker(WINDOW_1M, GRACE_1M, WINDOW_1H, GRACE_1H), Named.as("mark-late"),
                        StoreNames.WINDOW_WATERMARK);

        KStream<String, Reading> readings = measured.mapValues(Measured::reading, Named.as("enriched-reading"));
        readings.to(Topics.READINGS.name(),
                Produced.with(KEYS, Topics.READINGS.valueSerde()).withName("readings-sink"));

        boolean replay = Boolean.parseBoolean(props.getProperty(REPLAY, "false"));
        measured.process(() -> new AlertProcessor(settings, !replay),
                        Named.as("alerts"), StoreNames.ALERT_STATE, StoreNames.LATEST_READING)
                .to(Topics.ALERTS.name(), Produced.with(KEYS, Topics.ALERTS.valueSerde()).withName("alerts-sink"));

        if (sessions.enabled()) {
            measured.process(() -> new SessionProcessor(sessions, !replay), Named.as("charging-sessions"),
                            StoreNames.SESSION_STATE)
                    .to(Topics.SESSIONS.name(), Produced.with(KEYS, Topics.SESSIONS.valueSerde()).withName("sessions-sink"));
        }
        windowing.add(builder, measured, settings, stores);
        return builder.build(withDefaults);
    }

    /** Minutes from the readings; hours and days from the closed minutes (and what is late for its minute only). */
    private static void windows(StreamsBuilder builder, KStream<String, Measured> measured, TopologySettings settings,
                                StoreSuppliers stores) {
        // Cached: the open minute changes with each reading of its meter, the hour with each minute.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.WINDOW_1M), KEYS, StoreSerdes.WINDOWS).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.WINDOW_1H), KEYS, StoreSerdes.WINDOWS).withCachingEnabled());
        // Cached like the watermark: written with each reading of a meter, needed in the changelog once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.DAILY_STATE), KEYS, StoreSerdes.DAILY).withCachingEnabled());
        // The stores of the windowed aggregations of earlier versions, under their names and of their kind,
        // read once per task to move the windows they left unpublished (FormerWindows), never written.
        builder.addStateStore(Stores.timestampedWindowStoreBuilder(
                stores.window(StoreNames.FORMER_WINDOW_1M, RETENTION_1M, WINDOW_1M), KEYS, StoreSerdes.WINDOW));
        builder.addStateStore(Stores.timestampedWindowStoreBuilder(
                stores.window(StoreNames.FORMER_WINDOW_1H, RETENTION_1H, WINDOW_1H), KEYS, StoreSerdes.WINDOW));
        // The marker decided what is late, so no window drops anything unmarked.
        KStream<String, WindowFeed> minutes = measured.process(
                () -> new MinuteWindows(WINDOW_1M, GRACE_1M, RETENTION_1M, WINDOW_1H, GRACE_1H,
                        settings.sessions().defaultTimeZone()),
                Named.as("window-1m-final"), StoreNames.WINDOW_1M, StoreNames.WINDOW_WATERMARK,
                StoreNames.FORMER_WINDOW_1M, StoreNames.FORMER_WINDOW_1H, StoreNames.WINDOW_1H, StoreNames.DAILY_STATE);
        minutes.flatMapValues((device, feed) -> feed instanceof WindowFeed.ClosedMinute m
                                ? List.of(DayPart.total(m.parts()).toStats(device, m.start(), m.start().plus(WINDOW_1M),
                                settings.energy()))
                                : List.<WindowStats>of(),
                        Named.as("window-1m-stats"))
                .to(Topics.READINGS_1M.name(), Produced.with(KEYS, Topics.READINGS_1M.valueSerde()).withName("window-1m-sink"));
        minutes.process(() -> new HourWindows(WINDOW_1H, GRACE_1H, RETENTION_1H, settings.energy()),
                        Named.as("window-1h-final"), StoreNames.WINDOW_1H)
                .to(Topics.READINGS_1H.name(), Produced.with(KEYS, Topics.READINGS_1H.valueSerde()).withName("window-1h-sink"));
        minutes.process(() -> new DailyProcessor(GRACE_1D, settings.energy(), settings.sessions().defaultTimeZone()),
                        Named.as("daily-aggregate"), StoreNames.DAILY_STATE)
                .to(Topics.READINGS_1D.name(), Produced.with(KEYS, Topics.READINGS_1D.valueSerde()).withName("daily-sink"));
    }

    private static void addStores(StreamsBuilder builder, TopologySettings settings, StoreSuppliers stores) {
        builder.addStateStore(Stores.windowStoreBuilder(
                stores.window(StoreNames.IDENTITY, settings.dedupRetention(), Duration.ofMillis(1)), KEYS, Serdes.Long()));
        // Cached: written with each reading of a meter, its changelog needs it once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.LATEST_READING), KEYS, StoreSerdes.METER_STATE).withCachingEnabled());
        // The former per-meter stores, read once per meter to move their entries into the one above.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.METER_STATE), KEYS, StoreSerdes.METER));
        // Cached: the watermark changes with nearly every record, its changelog needs it once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.WINDOW_WATERMARK), KEYS, Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.HELD_PARTIALS), KEYS, StoreSerdes.HELD));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.ALERT_STATE), KEYS, StoreSerdes.ALERT_STATE));
        if (settings.sessions().enabled()) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    stores.keyValue(StoreNames.SESSION_STATE), KEYS, StoreSerdes.SESSION).withCachingEnabled());
        }
    }

    private StreamsTopology() {
    }
}
