package io.wattstream.streams.app;

import io.helidon.metrics.api.MeterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.wattstream.streams.topology.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The stream processor's metrics in the registry Helidon serves on {@code /observe/metrics}
 * (Prometheus text). Kafka Streams keeps its metrics in its own registry (JMX); Micrometer's Kafka
 * Streams binder bridges all of them, following tasks as they come and go: records processed
 * ({@code kafka_stream_thread_process_total}), records dropped as late or unreadable
 * ({@code kafka_stream_task_dropped_records_total}), consumer lag
 * ({@code kafka_consumer_fetch_manager_records_lag_max}), and Wattstream's own sensors (duplicates,
 * dead letters: group {@code stream-wattstream-metrics}). State stores held in memory have no size
 * metric of their own, so {@code wattstream_state_store_entries} counts the entries of this
 * instance's stores at scrape time.
 */
final class StreamsMetrics implements AutoCloseable {

    /** The first parts of this service's meter names: Kafka's bridged meters and its own. */
    static final String KAFKA_PREFIX = "kafka";
    static final String OWN_PREFIX = "wattstream";

    /** Stores counted by size; window stores hold a bounded number of windows per device. */
    private static final List<String> KEY_VALUE_STORES = List.of(StoreNames.LATEST_READING, StoreNames.ALERT_STATE,
            StoreNames.HELD_PARTIALS);
    private static final List<String> WINDOW_STORES = List.of(StoreNames.WINDOW_1M, StoreNames.WINDOW_1H,
            StoreNames.WINDOW_1D);

    private final io.micrometer.core.instrument.MeterRegistry registry;
    private final KafkaStreamsMetrics binder;
    private final List<Meter> gauges = new ArrayList<>();
    private final AtomicBoolean bound = new AtomicBoolean();

    StreamsMetrics(MeterRegistry helidonRegistry, KafkaStreams streams) {
        registry = helidonRegistry.unwrap(io.micrometer.core.instrument.MeterRegistry.class);
        // Kafka's own tags already name the application, client and thread.
        Tags tags = Tags.empty();
        binder = new KafkaStreamsMetrics(streams, tags);
        for (String store : KEY_VALUE_STORES) {
            gauge(store, tags, streams, s -> s.store(StoreQueryParameters.fromNameAndType(store,
                    QueryableStoreTypes.keyValueStore())).approximateNumEntries());
        }
        for (String store : WINDOW_STORES) {
            gauge(store, tags, streams, s -> windows(s, store));
        }
    }

    /**
     * Binds Kafka Streams' metrics once it first runs: its task and store metrics only exist once
     * tasks are assigned, and the binder looks for new ones only every minute after binding.
     */
    void tasksAssigned() {
        if (bound.compareAndSet(false, true)) {
            binder.bindTo(registry);
        }
    }

    private void gauge(String store, Tags tags, KafkaStreams streams, ToDoubleFunction<KafkaStreams> size) {
        gauges.add(Gauge.builder(OWN_PREFIX + ".state.store.entries", streams, s -> {
                    try {
                        return size.applyAsDouble(s);
                    } catch (InvalidStateStoreException e) {
                        return Double.NaN; // starting or rebalancing: not queryable right now
                    }
                })
                .description("Entries in this instance's state store")
                .tags(tags.and("store", store))
                .register(registry));
    }

    private static double windows(KafkaStreams streams, String store) {
        ReadOnlyWindowStore<Object, Object> windows = streams.store(
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.windowStore()));
        long n = 0;
        try (KeyValueIterator<?, ?> it = windows.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        binder.close();
        gauges.forEach(registry::remove);
    }
}
