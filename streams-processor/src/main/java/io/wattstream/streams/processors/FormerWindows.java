package io.wattstream.streams.processors;

import io.wattstream.streams.topology.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upgrade from the windowed aggregations of earlier versions (a window store per size and a
 * suppression buffer holding each window until it closed) to the window books: once per task, before its
 * first record, at the watermark the earlier version left.
 *
 * <p>A window the earlier version had not published yet is one whose end plus grace is after that
 * watermark (its suppression emitted a window exactly when its stream time, the same watermark, reached
 * it); the window store holds the same sums as the buffer, so the buffers are not read. Each such minute
 * moves into the minute book and is published by it when it closes. Each such hour moves into the hour
 * book, and the meter's open days stay, without the sums of those minutes, which reach them again when
 * the minutes close: subtracted counts, sums, energies and costs are exact (energies in micro-Wh, costs
 * decimals); extremes and flags stay, as adding the minute back gives them again. Windows already published
 * are not moved, so nothing is published twice. The former stores are only read, and the watermark store
 * records that they were.
 */
final class FormerWindows {

    private static final Logger LOG = LoggerFactory.getLogger(FormerWindows.class);
    /** Key in the watermark store: the watermark at which this task moved the former windows. */
    static final String MOVED = "former-windows-moved-at";

    private FormerWindows() {
    }

    /**
     * Moves the former windows still unpublished at {@code watermark} (null: the task never ran before).
     *
     * @param defaultZone the local day of a minute no open day holds (none should)
     */
    static void move(ProcessorContext<?, ?> context, Long watermark, Duration size1m, Duration grace1m,
                     Duration size1h, Duration grace1h, ZoneId defaultZone) {
        if (watermark == null) {
            return;
        }
        Map<String, TreeMap<Long, WindowAggregate>> hours = unpublished(
                context.getStateStore(StoreNames.FORMER_WINDOW_1H), size1h.plus(grace1h), watermark);
        Map<String, TreeMap<Long, WindowAggregate>> minutes = unpublished(
                context.getStateStore(StoreNames.FORMER_WINDOW_1M), size1m.plus(grace1m), watermark);
        KeyValueStore<String, DailyState> dailyStore = context.getStateStore(StoreNames.DAILY_STATE);
        KeyValueStore<String, OpenWindows> minuteBook = context.getStateStore(StoreNames.WINDOW_1M);
        KeyValueStore<String, OpenWindows> hourBook = context.getStateStore(StoreNames.WINDOW_1H);
        long hour = size1h.toMillis();

        for (Map.Entry<String, TreeMap<Long, WindowAggregate>> meter : minutes.entrySet()) {
            String device = meter.getKey();
            DailyState state = dailyStore.get(device);
            List<DailyState.Day> days = new ArrayList<>(state == null ? List.of() : state.days());
            List<OpenWindows.Window> open = new ArrayList<>();
            for (Map.Entry<Long, WindowAggregate> m : meter.getValue().entrySet()) {
                Instant start = Instant.ofEpochMilli(m.getKey());
                WindowAggregate sums = m.getValue();
                hours.getOrDefault(device, new TreeMap<>())
                        .computeIfPresent(m.getKey() - Math.floorMod(m.getKey(), hour), (h, agg) -> agg.without(sums));
                DayPart part = new DayPart(defaultZone.getId(), LocalDate.ofInstant(start, defaultZone), null, sums);
                for (int i = days.size() - 1; i >= 0; i--) {
                    DailyState.Day d = days.get(i);
                    if (!start.isBefore(d.start()) && start.isBefore(d.end())) {
                        part = new DayPart(d.timeZone(), d.day(), d.site(), sums);
                        days.set(i, new DailyState.Day(d.day(), d.timeZone(), d.start(), d.end(), d.site(),
                                d.sums().without(sums)));
                        break;
                    }
                }
                open.add(new OpenWindows.Window(start, false, List.of(part)));
            }
            minuteBook.put(device, new OpenWindows(open));
            if (state != null) {
                dailyStore.put(device, new DailyState(days));
            }
        }
        for (Map.Entry<String, TreeMap<Long, WindowAggregate>> meter : hours.entrySet()) {
            List<OpenWindows.Window> open = new ArrayList<>();
            meter.getValue().forEach((start, sums) -> {
                if (sums.count() > 0) { // else all its readings are in open minutes, which bring them
                    open.add(new OpenWindows.Window(Instant.ofEpochMilli(start), false,
                            List.of(new DayPart(null, null, null, sums))));
                }
            });
            if (!open.isEmpty()) {
                hourBook.put(meter.getKey(), new OpenWindows(open));
            }
        }
        if (!minutes.isEmpty() || !hours.isEmpty()) {
            LOG.info("Moved the unpublished windows of {} meters (minutes) and {} meters (hours) from the former "
                    + "window stores, at watermark {}", minutes.size(), hours.size(), Instant.ofEpochMilli(watermark));
        }
    }

    /** Per meter, by start: the windows of {@code store} that close after {@code watermark}. */
    private static Map<String, TreeMap<Long, WindowAggregate>> unpublished(
            TimestampedWindowStore<String, WindowAggregate> store, Duration sizeAndGrace, long watermark) {
        Map<String, TreeMap<Long, WindowAggregate>> out = new HashMap<>();
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<WindowAggregate>> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, ValueAndTimestamp<WindowAggregate>> kv = it.next();
                long start = kv.key.window().start();
                if (kv.value != null && start + sizeAndGrace.toMillis() > watermark) {
                    out.computeIfAbsent(kv.key.key(), k -> new TreeMap<>()).put(start, kv.value.value());
                }
            }
        }
        return out;
    }
}
