package io.wattstream.streams.app;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.wattstream.streams.processors.Sensors;
import io.wattstream.streams.topology.StoreNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * The stream processor's metrics in the registry Helidon serves on {@code /observe/metrics}
 * (Prometheus text). Kafka Streams keeps its metrics in a registry of its own (JMX); the ones that
 * tell how processing goes are bridged here, each Kafka metric one meter named
 * {@code kafka.<group>.<name>} with Kafka's tags, and followed as tasks come and go (checked when
 * the client starts running and every {@value #REFRESH_SECONDS} s). State stores held in memory have
 * no size metric of their own, so {@code wattstream.state.store.entries} counts this instance's
 * entries at scrape time.
 *
 * <p>Everything is registered through Helidon's registry: registering into its Micrometer registry
 * directly, from another thread, deadlocks against Helidon's own registrations.
 */
final class StreamsMetrics implements AutoCloseable {

    /** The first parts of this service's meter names: Kafka's bridged meters and its own. */
    static final String KAFKA_PREFIX = "kafka";
    static final String OWN_PREFIX = "wattstream";

    static final int REFRESH_SECONDS = 30;

    /**
     * A Kafka metric to bridge: its group and name, and the tags that identify one instance of it (a
     * metric of the same name with other tags, such as the per-partition lag, is another one).
     */
    private record Bridged(String group, String name, Set<String> tags, String description) {
        boolean matches(MetricName m) {
            return m.group().equals(group) && m.name().equals(name) && m.tags().keySet().equals(tags);
        }

        boolean counter() {
            return name.endsWith("-total");
        }
    }

    private static final Set<String> THREAD = Set.of("thread-id");
    private static final Set<String> TASK = Set.of("thread-id", "task-id");
    /** Wattstream's own sensors (see {@link Sensors}) carry their scope's entity too. */
    private static final Set<String> SENSOR = Set.of("thread-id", "task-id", Sensors.SCOPE + "-id");
    private static final List<Bridged> BRIDGED = List.of(
            new Bridged("stream-thread-metrics", "process-total", THREAD, "Records processed"),
            new Bridged("stream-thread-metrics", "commit-total", THREAD, "Commits (exactly-once transactions)"),
            new Bridged("stream-thread-metrics", "commit-latency-avg", THREAD, "Average commit time, ms"),
            new Bridged("stream-thread-metrics", "punctuate-total", THREAD, "Punctuations (offline checks)"),
            new Bridged("stream-task-metrics", "dropped-records-total", TASK,
                    "Records dropped by Kafka Streams (unreadable, or too late for a window unmarked)"),
            new Bridged("stream-task-metrics", "record-lateness-max", TASK, "Largest lateness of a record, ms"),
            new Bridged("stream-" + Sensors.SCOPE + "-metrics", "duplicates-dropped-total", SENSOR,
                    "Exact retries dropped as duplicates"),
            new Bridged("stream-" + Sensors.SCOPE + "-metrics", "dead-lettered-total", SENSOR,
                    "Records sent to the dead letter topic"),
            new Bridged("stream-" + Sensors.SCOPE + "-metrics", "late-readings-1m-total", SENSOR,
                    "Readings that came after their 1-minute window had closed (stored, not in the window)"),
            new Bridged("stream-" + Sensors.SCOPE + "-metrics", "late-readings-1h-total", SENSOR,
                    "Readings that came after their 1-hour window had closed (stored, not in the hour or day)"),
            new Bridged("consumer-fetch-manager-metrics", "records-lag-max", Set.of("client-id"),
                    "Largest lag of the consumed partitions, records"),
            new Bridged("consumer-fetch-manager-metrics", "records-lag", Set.of("client-id", "topic", "partition"),
                    "Lag of one consumed partition, records"),
            new Bridged("stream-metrics", "alive-stream-threads", Set.of("client-id"), "Stream threads alive"));

    /** Stores counted by size: entries are meters (the window stores' hold a meter's windows of one size). */
    private static final List<String> KEY_VALUE_STORES = List.of(StoreNames.LATEST_READING, StoreNames.ALERT_STATE,
            StoreNames.HELD_PARTIALS, StoreNames.DAILY_STATE, StoreNames.WINDOW_1M, StoreNames.WINDOW_1H);

    private final MeterRegistry registry;
    private final KafkaStreams streams;
    private final Map<MetricName, Meter> bridged = new HashMap<>();
    private final List<Meter> gauges = new ArrayList<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "streams-metrics-refresh");
        t.setDaemon(true);
        return t;
    });

    StreamsMetrics(MeterRegistry registry, KafkaStreams streams) {
        this.registry = registry;
        this.streams = streams;
        for (String store : KEY_VALUE_STORES) {
            storeGauge(store, s -> s.store(StoreQueryParameters.fromNameAndType(store,
                    QueryableStoreTypes.keyValueStore())).approximateNumEntries());
        }
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    /** Tasks are assigned: bridge their metrics now rather than at the next refresh. */
    void tasksAssigned() {
        refresher.execute(this::refresh);
    }

    /** Bridges the Kafka metrics that appeared since the last call and drops the ones that went. */
    private synchronized void refresh() {
        Map<MetricName, ? extends Metric> current = streams.metrics();
        Set<MetricName> seen = new HashSet<>();
        for (Map.Entry<MetricName, ? extends Metric> e : current.entrySet()) {
            MetricName name = e.getKey();
            for (Bridged b : BRIDGED) {
                if (b.matches(name)) {
                    seen.add(name);
                    bridged.computeIfAbsent(name, n -> register(b, n, e.getValue()));
                }
            }
        }
        bridged.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            return true;
        });
    }

    private Meter register(Bridged b, MetricName name, Metric metric) {
        String meterName = KAFKA_PREFIX + "." + b.group().replace("-metrics", "").replace('-', '.') + "." + b.name().replace('-', '.');
        List<Tag> tags = new ArrayList<>();
        new TreeMap<>(name.tags()).forEach((k, v) -> tags.add(Tag.create(k.replace('-', '_'), v)));
        if (b.counter()) {
            return registry.getOrCreate(FunctionalCounter.builder(meterName, metric, m -> (long) value(m))
                    .description(b.description()).tags(tags));
        }
        return registry.getOrCreate(Gauge.builder(meterName, metric, StreamsMetrics::value)
                .description(b.description()).tags(tags));
    }

    private static double value(Metric m) {
        return m.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private void storeGauge(String store, ToDoubleFunction<KafkaStreams> size) {
        gauges.add(registry.getOrCreate(Gauge.builder(OWN_PREFIX + ".state.store.entries", streams, s -> {
                    try {
                        return size.applyAsDouble(s);
                    } catch (InvalidStateStoreException e) {
                        return Double.NaN; // starting or rebalancing: not queryable right now
                    }
                })
                .description("Entries in this instance's state store")
                .tags(List.of(Tag.create("store", store)))));
    }

    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        bridged.values().forEach(registry::remove);
        bridged.clear();
        gauges.forEach(registry::remove);
    }
}
