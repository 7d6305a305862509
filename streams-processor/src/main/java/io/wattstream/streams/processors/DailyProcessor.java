package io.wattstream.streams.processors;

import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.TopologySettings.EnergyRules;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The daily aggregate per meter, by the local calendar day of its site (the time zone of the tariff
 * that priced the reading, else the default): energy, cost and the power figures of a day, published
 * once to {@code shelly.readings.1d} when the task's watermark (the one {@link LateMarker} keeps) is past
 * the day's end plus the grace. Local days are 23 to 25 hours long and start at any offset, which
 * fixed-size windows cannot express, hence a processor of its own.
 *
 * <p>It receives what is on time for the 1-hour windows. The grace (one hour plus the hour windows'
 * grace) closes a day only after every hour that overlaps it has closed, so a reading on time for its
 * hour always finds its day open: the daily figures are exactly the hours' figures, and a reading marked
 * {@code late_1h} is in neither.
 */
public final class DailyProcessor implements Processor<String, Measured, String, WindowStats> {

    static final Duration CHECK_EVERY = Duration.ofMinutes(1);

    private final Duration grace;
    private final EnergyRules rules;
    private final ZoneId defaultZone;
    private ProcessorContext<String, WindowStats> context;
    private KeyValueStore<String, DailyState> store;
    private KeyValueStore<String, Long> watermark;
    private Sensor late;

    public DailyProcessor(Duration grace, EnergyRules rules, ZoneId defaultZone) {
        this.grace = grace;
        this.rules = rules;
        this.defaultZone = defaultZone;
    }

    @Override
    public void init(ProcessorContext<String, WindowStats> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.DAILY_STATE);
        this.watermark = context.getStateStore(StoreNames.WINDOW_WATERMARK);
        this.late = Sensors.rateTotal(context, "late-readings-1d");
        // Stream time, not wall clock: days of silent meters close alike live and in a replay.
        context.schedule(CHECK_EVERY, PunctuationType.STREAM_TIME, this::closeDue);
    }

    @Override
    public void process(Record<String, Measured> record) {
        Reading r = record.value().reading();
        ZoneId zone = record.value().timeZone() != null ? record.value().timeZone() : defaultZone;
        long wm = watermark();
        LocalDate day = LocalDate.ofInstant(r.timestamp(), zone);
        DailyState state = store.get(record.key());
        List<DailyState.Day> days = new ArrayList<>(state == null ? List.of() : state.days());
        int i = indexOf(days, day, zone.getId());
        if (i < 0) {
            Instant start = day.atStartOfDay(zone).toInstant();
            Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
            if (closed(end, wm)) {
                late.record(); // only after a change of the meter's time zone: its day has been published
                return;
            }
            days.add(new DailyState.Day(day, zone.getId(), start, end, r.site(), WindowAggregate.empty().add(r)));
        } else {
            DailyState.Day d = days.get(i);
            days.set(i, new DailyState.Day(d.day(), d.timeZone(), d.start(), d.end(), r.site(), d.sums().add(r)));
        }
        publishClosed(record.key(), days, wm, record.timestamp());
    }

    private void closeDue(long streamTime) {
        long wm = watermark();
        List<KeyValue<String, DailyState>> due = new ArrayList<>();
        try (KeyValueIterator<String, DailyState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, DailyState> kv = it.next();
                if (kv.value.days().stream().anyMatch(d -> closed(d.end(), wm))) {
                    due.add(kv);
                }
            }
        }
        for (KeyValue<String, DailyState> kv : due) {
            publishClosed(kv.key, new ArrayList<>(kv.value.days()), wm, streamTime);
        }
    }

    /** Publishes and forgets the closed days, stores the open ones. */
    private void publishClosed(String device, List<DailyState.Day> days, long wm, long timestamp) {
        List<DailyState.Day> open = new ArrayList<>();
        for (DailyState.Day d : days) {
            if (closed(d.end(), wm)) {
                context.forward(new Record<>(device, stats(device, d, rules), timestamp));
            } else {
                open.add(d);
            }
        }
        if (open.isEmpty()) {
            store.delete(device);
        } else {
            store.put(device, new DailyState(open));
        }
    }

    /** A day's figures (also what /state shows for the open day). */
    public static WindowStats stats(String device, DailyState.Day d, EnergyRules rules) {
        return d.sums().toStats(device, d.start(), d.end(), rules, d.day(), d.timeZone(), d.site());
    }

    private boolean closed(Instant end, long wm) {
        return end.toEpochMilli() + grace.toMillis() <= wm;
    }

    private long watermark() {
        Long wm = watermark.get(LateMarker.WATERMARK);
        return wm == null ? Long.MIN_VALUE : wm;
    }

    private static int indexOf(List<DailyState.Day> days, LocalDate day, String zone) {
        for (int i = 0; i < days.size(); i++) {
            if (days.get(i).day().equals(day) && days.get(i).timeZone().equals(zone)) {
                return i;
            }
        }
        return -1;
    }
}
