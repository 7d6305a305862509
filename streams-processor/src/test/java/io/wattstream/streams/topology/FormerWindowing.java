package io.wattstream.streams.topology;

import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.processors.DailyProcessor;
import io.wattstream.streams.processors.Measured;
import io.wattstream.streams.processors.WindowAggregate;
import io.wattstream.streams.processors.WindowFeed;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology with the windows of versions before the window books (tests only): a Kafka Streams
 * windowed aggregation per size under {@code window-1m-store} / {@code window-1h-store}, each held by a
 * suppression ({@code window-1m-final} / {@code window-1h-final}) until it closes, and days added up from
 * every reading on time for its hour. Stores, processors and topics carry the names they had.
 */
public final class FormerWindowing {

    private static final Serde<String> KEYS = Serdes.String();

    private FormerWindowing() {
    }

    public static Topology build(Properties props) {
        return StreamsTopology.build(props, FormerWindowing::add);
    }

    private static void add(StreamsBuilder builder, KStream<String, Measured> measured, TopologySettings settings,
                            StoreSuppliers stores) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                stores.keyValue(StoreNames.DAILY_STATE), KEYS, StoreSerdes.DAILY).withCachingEnabled());
        measured.filter((k, m) -> !m.reading().late1h(), Named.as("on-time-for-1d"))
                .process(EveryReading::new, Named.as("daily-feed"), StoreNames.WINDOW_WATERMARK)
                .process(() -> new DailyProcessor(StreamsTopology.GRACE_1D, settings.energy(),
                        settings.sessions().defaultTimeZone()), Named.as("daily-aggregate"), StoreNames.DAILY_STATE)
                .to(Topics.READINGS_1D.name(), Produced.with(KEYS, Topics.READINGS_1D.valueSerde()).withName("daily-sink"));

        KStream<String, Reading> readings = measured.mapValues(Measured::reading, Named.as("window-reading"));
        windowed(readings.filter((k, r) -> !r.late1m(), Named.as("on-time-for-1m")), "1m",
                Duration.ofMinutes(30), StreamsTopology.WINDOW_1M, StreamsTopology.GRACE_1M, Topics.READINGS_1M,
                settings, stores);
        windowed(readings.filter((k, r) -> !r.late1h(), Named.as("on-time-for-1h")), "1h",
                Duration.ofHours(3), StreamsTopology.WINDOW_1H, StreamsTopology.GRACE_1H, Topics.READINGS_1H,
                settings, stores);
    }

    private static void windowed(KStream<String, Reading> onTime, String label, Duration retention, Duration size,
                                 Duration grace, Topics.Topic<WindowStats> topic, TopologySettings settings,
                                 StoreSuppliers stores) {
        onTime.groupByKey(Grouped.with("readings-by-device-" + label, KEYS, Topics.READINGS.valueSerde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(size, grace))
                .aggregate(WindowAggregate::empty, (device, reading, agg) -> agg.add(reading),
                        Named.as("window-" + label + "-aggregate"),
                        Materialized.<String, WindowAggregate>as(stores.window("window-" + label + "-store", retention, size))
                                .withKeySerde(KEYS).withValueSerde(StoreSerdes.WINDOW))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName("window-" + label + "-final"))
                .toStream(Named.as("window-" + label + "-stream"))
                .map((w, agg) -> KeyValue.pair(w.key(), agg.toStats(w.key(), w.window().startTime(),
                        w.window().endTime(), settings.energy())), Named.as("window-" + label + "-stats"))
                .to(topic.name(), Produced.with(KEYS, topic.valueSerde()).withName("window-" + label + "-sink"));
    }

    /** Each reading on time for its hour, to its day as it came, and the watermark after it (days close then). */
    private static final class EveryReading implements Processor<String, Measured, String, WindowFeed> {

        private ProcessorContext<String, WindowFeed> context;
        private KeyValueStore<String, Long> watermark;

        @Override
        public void init(ProcessorContext<String, WindowFeed> context) {
            this.context = context;
            this.watermark = context.getStateStore(StoreNames.WINDOW_WATERMARK);
        }

        @Override
        public void process(Record<String, Measured> record) {
            long wm = watermark.get("watermark");
            context.forward(record.withValue(new WindowFeed.LateReading(record.value(), wm)));
            context.forward(record.withValue(new WindowFeed.Tick(wm)));
        }
    }
}
