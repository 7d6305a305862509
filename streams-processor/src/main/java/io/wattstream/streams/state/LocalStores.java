package io.wattstream.streams.state;

import io.wattstream.model.Alert;
import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import io.wattstream.model.state.DeviceState;
import io.wattstream.streams.processors.AlertState;
import io.wattstream.streams.processors.MeterState;
import io.wattstream.streams.processors.DayPart;
import io.wattstream.streams.processors.OpenWindows;
import io.wattstream.streams.processors.WindowAggregate;
import java.time.ZoneId;
import java.util.TreeMap;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.StreamsTopology;
import io.wattstream.streams.topology.TopologySettings;
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

    /** Finds one of this instance's key-value stores by name. */
    interface Lookup {
        <V> ReadOnlyKeyValueStore<String, V> keyValue(String store);
    }

    private final Lookup stores;
    private final String self;
    private final TopologySettings.EnergyRules rules;
    private final boolean sessions;

    LocalStores(KafkaStreams streams, String self, TopologySettings topology) {
        this(new Lookup() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValue(String store) {
                return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
            }
        }, self, topology);
    }

    LocalStores(Lookup stores, String self, TopologySettings topology) {
        this.stores = stores;
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
        OpenWindows minutes = this.<OpenWindows>kv(StoreNames.WINDOW_1M).get(id);
        List<OpenWindows.Window> open = minutes == null ? List.of()
                : minutes.windows().stream().filter(w -> !w.closed()).toList();
        if (minutes != null && !minutes.windows().isEmpty()) {
            OpenWindows.Window newest = minutes.windows().stream().max(Comparator.comparing(OpenWindows.Window::start))
                    .orElseThrow();
            windows.put(DeviceState.WINDOW_1M, newest.sums().toStats(id, newest.start(),
                    newest.start().plus(StreamsTopology.WINDOW_1M), rules));
        }
        hour(id, open).ifPresent(w -> windows.put(DeviceState.WINDOW_1H, w));
        day(id, open).ifPresent(w -> windows.put(DeviceState.WINDOW_1D, w));
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

    /** The newest hour with its minutes that have not closed yet: what it holds now. */
    private Optional<WindowStats> hour(String id, List<OpenWindows.Window> openMinutes) {
        OpenWindows hours = this.<OpenWindows>kv(StoreNames.WINDOW_1H).get(id);
        TreeMap<Instant, WindowAggregate> byStart = new TreeMap<>();
        if (hours != null) {
            hours.windows().forEach(w -> byStart.put(w.start(), w.sums()));
        }
        long size = StreamsTopology.WINDOW_1H.toMillis();
        for (OpenWindows.Window m : openMinutes) {
            long ms = m.start().toEpochMilli();
            byStart.merge(Instant.ofEpochMilli(ms - Math.floorMod(ms, size)), m.sums(), WindowAggregate::merge);
        }
        return byStart.isEmpty() ? Optional.empty() : Optional.of(byStart.lastEntry().getValue().toStats(id,
                byStart.lastKey(), byStart.lastKey().plus(StreamsTopology.WINDOW_1H), rules));
    }

    /** The newest local day with its minutes that have not closed yet. */
    private Optional<WindowStats> day(String id, List<OpenWindows.Window> openMinutes) {
        DailyState state = this.<DailyState>kv(StoreNames.DAILY_STATE).get(id);
        List<DailyState.Day> days = new ArrayList<>(state == null ? List.of() : state.days());
        for (OpenWindows.Window m : openMinutes) {
            for (DayPart p : m.parts()) {
                int i = 0;
                while (i < days.size() && !(days.get(i).day().equals(p.day()) && days.get(i).timeZone().equals(p.timeZone()))) {
                    i++;
                }
                if (i < days.size()) {
                    DailyState.Day d = days.get(i);
                    days.set(i, new DailyState.Day(d.day(), d.timeZone(), d.start(), d.end(), p.site(), d.sums().merge(p.sums())));
                } else {
                    ZoneId zone = ZoneId.of(p.timeZone());
                    days.add(new DailyState.Day(p.day(), p.timeZone(), p.day().atStartOfDay(zone).toInstant(),
                            p.day().plusDays(1).atStartOfDay(zone).toInstant(), p.site(), p.sums()));
                }
            }
        }
        return days.stream().max(Comparator.comparing(DailyState.Day::start)).map(d -> DailyProcessor.stats(id, d, rules));
    }

    private <V> ReadOnlyKeyValueStore<String, V> kv(String store) {
        return stores.keyValue(store);
    }
}
