package io.wattstream.streams.state;

import io.wattstream.model.Alert;
import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import io.wattstream.model.state.DeviceState;
import io.wattstream.streams.processors.AlertState;
import io.wattstream.streams.processors.MeterState;
import io.wattstream.streams.processors.WindowAggregate;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.StreamsTopology;
import io.wattstream.streams.topology.TopologySettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import io.wattstream.model.ChargingSession;
import io.wattstream.streams.processors.DailyProcessor;
import io.wattstream.streams.processors.DailyState;
import io.wattstream.streams.processors.SessionState;
import java.util.Comparator;

/**
 * Reads this instance's own state stores (its active tasks only). Throws
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the stores are not queryable
 * (starting, rebalancing).
 */
final class LocalStores {

    private final KafkaStreams streams;
    private final String self;
    private final TopologySettings.EnergyRules rules;
    private final boolean sessions;

    LocalStores(KafkaStreams streams, String self, TopologySettings topology) {
        this.streams = streams;
        this.self = self;
        this.rules = topology.energy();
        this.sessions = topology.sessions().enabled();
    }

    Optional<DeviceState> device(String id) {
        MeterState meter = this.<MeterState>kv(StoreNames.LATEST_READING).get(id);
        Reading latest = meter == null ? null : meter.latest();
        AlertState alerts = this.<AlertState>kv(StoreNames.ALERT_STATE).get(id);
        if (latest == null && alerts == null) {
            return Optional.empty();
        }
        List<Alert> transitions = new ArrayList<>();
        if (alerts != null && alerts.power() != null) {
            transitions.add(alerts.power());
        }
        if (alerts != null && alerts.offline() != null) {
            transitions.add(alerts.offline());
        }
        if (alerts != null) {
            transitions.addAll(alerts.errors().values());
            if (alerts.temperature() != null) {
                transitions.add(alerts.temperature());
            }
        }
        Map<String, WindowStats> windows = new LinkedHashMap<>();
        latestWindow(StoreNames.WINDOW_1M, StreamsTopology.WINDOW_1M, id).ifPresent(w -> windows.put(DeviceState.WINDOW_1M, w));
        latestWindow(StoreNames.WINDOW_1H, StreamsTopology.WINDOW_1H, id).ifPresent(w -> windows.put(DeviceState.WINDOW_1H, w));
        DailyState days = this.<DailyState>kv(StoreNames.DAILY_STATE).get(id);
        if (days != null && !days.days().isEmpty()) {
            DailyState.Day newest = days.days().stream().max(Comparator.comparing(DailyState.Day::start)).orElseThrow();
            windows.put(DeviceState.WINDOW_1D, DailyProcessor.stats(id, newest, rules));
        }
        return Optional.of(new DeviceState(id, latest, alerts == null ? null : alerts.lastSeenAt(),
                transitions, windows, session(id).orElse(null), self));
    }

    /** The meter's open session as it stands now. */
    Optional<ChargingSession> session(String id) {
        if (!sessions) {
            return Optional.empty();
        }
        SessionState s = this.<SessionState>kv(StoreNames.SESSION_STATE).get(id);
        return s == null || !s.open() ? Optional.empty() : Optional.of(s.view(id, ChargingSession.State.UPDATED, null, false));
    }

    /** Every open session of this instance's meters. */
    List<ChargingSession> openSessions() {
        List<ChargingSession> out = new ArrayList<>();
        if (!sessions) {
            return out;
        }
        try (KeyValueIterator<String, SessionState> it = this.<SessionState>kv(StoreNames.SESSION_STATE).all()) {
            while (it.hasNext()) {
                KeyValue<String, SessionState> kv = it.next();
                if (kv.value.open()) {
                    out.add(kv.value.view(kv.key, ChargingSession.State.UPDATED, null, false));
                }
            }
        }
        return out;
    }

    List<DeviceState> all() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, MeterState> it = this.<MeterState>kv(StoreNames.LATEST_READING).all()) {
            while (it.hasNext()) {
                KeyValue<String, MeterState> kv = it.next();
                ids.add(kv.key);
            }
        }
        List<DeviceState> out = new ArrayList<>();
        for (String id : ids) {
            device(id).ifPresent(out::add);
        }
        return out;
    }

    private Optional<WindowStats> latestWindow(String store, Duration size, String id) {
        ReadOnlyWindowStore<String, WindowAggregate> windows = streams.store(
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, WindowAggregate>windowStore()));
        // Window stores only hold their retention, so the whole time range is a bounded scan.
        try (WindowStoreIterator<WindowAggregate> it =
                     windows.backwardFetch(id, Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            if (!it.hasNext()) {
                return Optional.empty();
            }
            KeyValue<Long, WindowAggregate> newest = it.next();
            Instant start = Instant.ofEpochMilli(newest.key);
            return Optional.of(newest.value.toStats(id, start, start.plus(size), rules));
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> kv(String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
    }
}
