package io.wattstream.streams.topology;

import io.wattstream.model.Alert;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Tariff;
import io.wattstream.model.TariffSchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import io.wattstream.model.Device;
import io.wattstream.model.JsonSerde;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import io.wattstream.streams.app.StreamsProperties;
import io.wattstream.streams.processors.Sensors;

/** The real topology in a {@link TopologyTestDriver}, with typed input and output topics. */
final class TopologyFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    static final JsonSerde<RawReading> RAW_SERDE = new JsonSerde<>(RawReading.class);

    final TopologyTestDriver driver;
    final Path stateDir;
    final TestInputTopic<String, byte[]> raw;
    final TestInputTopic<String, Device> devices;
    final TestOutputTopic<String, Reading> readings;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<String, WindowStats> win1m;
    final TestOutputTopic<String, WindowStats> win1h;
    final TestOutputTopic<String, WindowStats> win1d;
    final TestOutputTopic<String, ChargingSession> sessions;
    final TestInputTopic<String, TariffSchedule> tariffs;
    private final Properties props;
    final TestOutputTopic<String, byte[]> dlq;

    TopologyFixture() {
        this(new Properties());
    }

    TopologyFixture(Properties extra) {
        this(extra, newStateDir());
    }

    /** On a given state directory: with persistent stores, a second fixture there is a restart. */
    TopologyFixture(Properties extra, Path stateDir) {
        this.stateDir = stateDir;
        this.props = extra;
        Properties p = StreamsProperties.defaults();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "wattstream-test");
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.putAll(extra);
        driver = new TopologyTestDriver(StreamsTopology.build(p), p, T0);
        String rawName = TopologySettings.from(p).rawTopic();
        raw = driver.createInputTopic(rawName, new StringSerializer(), new ByteArraySerializer());
        devices = driver.createInputTopic(Topics.DEVICES.name(), new StringSerializer(),
                Topics.DEVICES.valueSerde().serializer());
        readings = out(Topics.READINGS);
        alerts = out(Topics.ALERTS);
        win1m = out(Topics.READINGS_1M);
        win1h = out(Topics.READINGS_1H);
        win1d = out(Topics.READINGS_1D);
        boolean billing = TopologySettings.from(p).sessions().enabled();
        sessions = billing ? out(Topics.SESSIONS) : null;
        tariffs = billing ? driver.createInputTopic(Topics.TARIFFS.name(), new StringSerializer(),
                Topics.TARIFFS.valueSerde().serializer()) : null;
        dlq = driver.createOutputTopic(Topics.DLQ.name(), new StringDeserializer(), Serdes.ByteArray().deserializer());
    }

    private <V> TestOutputTopic<String, V> out(Topics.Topic<V> t) {
        return driver.createOutputTopic(t.name(), new StringDeserializer(), t.valueSerde().deserializer());
    }

    /** A full reading received at {@code at}, without device time. */
    static RawReading full(String device, double power, double energy, Instant at) {
        return base(device, power, energy).at(at).source(RawReading.Source.FLAT_POST).build();
    }

    /** A full reading with the device's own time, received at {@code receivedAt}. */
    static RawReading withDeviceTime(String device, double power, double energy, Instant deviceTime, Instant receivedAt) {
        return base(device, power, energy).timestamp(deviceTime).receivedAt(receivedAt)
                .source(RawReading.Source.NOTIFY_FULL_STATUS).deviceTime(true).build();
    }

    /** The measured fields every full test reading has. */
    static RawReading.Builder base(String device, double power, double energy) {
        return RawReading.builder().deviceId(device).power(power).voltage(230.0).current(power / 230.0).energy(energy)
                .freq(50.0).pf(0.99).temperatureC(40.0).output(true);
    }

    /** Sends a reading as the gateway would: keyed by device, producer time = receive time. */
    void send(RawReading r) {
        raw.pipeInput(r.deviceId(), RAW_SERDE.toBytes(r), r.receivedAt());
    }

    void sendBytes(String key, byte[] value, Instant at) {
        raw.pipeInput(key, value, at);
    }

    /** Total of one of the application's own sensors across tasks. */
    double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().contains(Sensors.SCOPE))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    /** Publishes a scope's tariffs as the query API does. */
    void tariffs(String scope, Tariff... tariffs) {
        this.tariffs.pipeInput(scope, new TariffSchedule(scope, List.of(tariffs)));
    }

    /** The key-value stores and their serdes, as the topology declares them. */
    private static final Map<String, Serde<?>> KEY_VALUE_STORES = Map.of(
            StoreNames.METER_STATE, StoreSerdes.METER,
            StoreNames.LATEST_READING, StoreSerdes.METER_STATE,
            StoreNames.HELD_PARTIALS, StoreSerdes.HELD,
            StoreNames.ALERT_STATE, StoreSerdes.ALERT_STATE,
            StoreNames.WINDOW_WATERMARK, Serdes.Long(),
            StoreNames.SESSION_STATE, StoreSerdes.SESSION,
            StoreNames.DAILY_STATE, StoreSerdes.DAILY);

    /**
     * A restart: this driver stops (and, as the test driver does, drops its state) and another starts whose
     * key-value stores are restored from what this one wrote to their changelog topics, as Kafka Streams
     * restores a task on another instance or after a crash.
     */
    TopologyFixture restart() {
        Map<String, Map<String, byte[]>> restored = new LinkedHashMap<>();
        for (String store : KEY_VALUE_STORES.keySet()) {
            String changelog = "wattstream-test-" + store + "-changelog";
            if (!driver.producedTopicNames().contains(changelog)) {
                continue;
            }
            Map<String, byte[]> latest = new LinkedHashMap<>();
            driver.createOutputTopic(changelog, new StringDeserializer(), Serdes.ByteArray().deserializer())
                    .readKeyValuesToList().forEach(kv -> {
                        if (kv.value == null) {
                            latest.remove(kv.key);
                        } else {
                            latest.put(kv.key, kv.value);
                        }
                    });
            restored.put(store, latest);
        }
        driver.close();
        TopologyFixture next = new TopologyFixture(props, stateDir);
        restored.forEach((store, entries) -> {
            @SuppressWarnings("unchecked")
            Serde<Object> serde = (Serde<Object>) KEY_VALUE_STORES.get(store);
            org.apache.kafka.streams.state.KeyValueStore<String, Object> target = next.driver.getKeyValueStore(store);
            entries.forEach((k, v) -> target.put(k, serde.deserializer().deserialize("", v)));
        });
        return next;
    }

    static Path newStateDir() {
        try {
            return Files.createTempDirectory("wattstream-ttd-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.close();
        io.wattstream.embedded.Dirs.deleteRecursively(stateDir);
    }
}
