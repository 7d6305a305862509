package io.wattstream.model;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every Wattstream topic, each paired with its serdes. Keys are device ids. */
public final class Topics {

    /** A topic name with its key and value serdes. */
    public record Topic<V>(String name, Serde<String> keySerde, Serde<V> valueSerde) {
        /** The same contract under another name (the raw topic's name can be configured). */
        public Topic<V> named(String otherName) {
            return new Topic<>(otherName, keySerde, valueSerde);
        }
    }

    /** Environment variable that renames the raw topic, kept from the prototype. */
    public static final String RAW_TOPIC_ENV = "KAFKA_TOPIC";

    public static final Topic<RawReading> RAW = of("shelly.readings.raw", RawReading.class);
    public static final Topic<Reading> READINGS = of("shelly.readings", Reading.class);
    public static final Topic<Alert> ALERTS = of("shelly.alerts", Alert.class);
    public static final Topic<WindowStats> READINGS_1M = of("shelly.readings.1m", WindowStats.class);
    public static final Topic<WindowStats> READINGS_1H = of("shelly.readings.1h", WindowStats.class);
    /** Compacted device registry. */
    public static final Topic<Device> DEVICES = of("shelly.devices", Device.class);
    /** Dead letters keep the original bytes, so their value is raw. */
    public static final Topic<byte[]> DLQ = new Topic<>("shelly.dlq", Serdes.String(), Serdes.ByteArray());

    /** All pipeline topics, for creating them at start-up. */
    public static List<Topic<?>> all() {
        return List.of(RAW, READINGS, ALERTS, READINGS_1M, READINGS_1H, DEVICES, DLQ);
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
