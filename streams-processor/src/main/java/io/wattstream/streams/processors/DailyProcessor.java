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
 * <p>It is built from the closed minutes and the readings late for their minute but on time for their
 * hour ({@link MinuteWindows}): what is on time for the 1-hour windows. The grace (one hour plus the
 * hour windows' grace) closes a day only after every hour that overlaps it has closed, so a reading on
 * time for its hour always finds its day open: the daily figures are exactly the hours' figures, and a
 * reading marked {@code late_1h} is in neither. Days close as the watermark passes whole minutes
 * (every local midnight is one), after the minutes that closed then.
 */
public final class DailyProcessor implements Processor<String, WindowFeed, String, WindowStats> {

    private final Duration grace;
    private final EnergyRules rules;
    private final ZoneId defaultZone;
    private ProcessorContext<String, WindowStats> context;
    private KeyValueStore<String, DailyState> store;
    private Sensor late;
    /** The earliest watermark at which a day of this task can close, as far as this instance knows. */
    private long nextDue = Long.MIN_VALUE;

    public DailyProcessor(Duration grace, EnergyRules rules, ZoneId defaultZone) {
        this.grace = grace;
        this.rules = rules;
        this.defaultZone = defaultZone;
    }

    @Override
    public void init(ProcessorContext<String, WindowStats> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.DAILY_STATE);
        this.late = Sensors.rateTotal(context, "late-readings-1d");
        this.nextDue = Long.MIN_VALUE;
    }

    @Override
    public void process(Record<String, WindowFeed> record) {
        long wm = record.value().watermark();
        switch (record.value()) {
            case WindowFeed.ClosedMinute minute -> {
                for (DayPart p : minute.parts()) {
                    add(record.key(), p.day(), ZoneId.of(p.timeZone()), p.site(), p.sums(), wm);
                }
            }
            case WindowFeed.LateReading lateReading -> {
                Measured m = lateReading.measured();
                Reading r = m.reading();
                ZoneId zone = m.timeZone() != null ? m.timeZone() : defaultZone;
                add(record.key(), LocalDate.ofInstant(r.timestamp(), zone), zone, r.site(),
                        WindowAggregate.empty().add(r), wm);
            }
            // After the minutes that closed at this watermark: the day is complete.
            case WindowFeed.Tick tick -> closeDue(wm, record.timestamp());
        }
    }

    private void add(String device, LocalDate day, ZoneId zone, String site, WindowAggregate sums, long wm) {
        DailyState state = store.get(device);
        List<DailyState.Day> days = new ArrayList<>(state == null ? List.of() : state.days());
        int i = indexOf(days, day, zone.getId());
        if (i < 0) {
            Instant start = day.atStartOfDay(zone).toInstant();
            Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
            if (closed(end, wm)) {
                // only after a change of the meter's time zone: its day has been published
                for (long n = 0; n < sums.count(); n++) {
                    late.record();
                }
                return;
            }
            days.add(new DailyState.Day(day, zone.getId(), start, end, site, sums));
            nextDue = Math.min(nextDue, end.toEpochMilli() + grace.toMillis());
        } else {
            DailyState.Day d = days.get(i);
            days.set(i, new DailyState.Day(d.day(), d.timeZone(), d.start(), d.end(), site, d.sums().merge(sums)));
        }
        store.put(device, new DailyState(days));
    }

    /** Publishes and forgets the closed days of every meter of the task. */
    private void closeDue(long wm, long timestamp) {
        if (wm < nextDue) {
            return;
        }
        long next = Long.MAX_VALUE;
        List<KeyValue<String, DailyState>> due = new ArrayList<>();
        try (KeyValueIterator<String, DailyState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, DailyState> kv = it.next();
                for (DailyState.Day d : kv.value.days()) {
                    if (closed(d.end(), wm)) {
                        due.add(kv);
                        break;
                    }
                }
                for (DailyState.Day d : kv.value.days()) {
                    if (!closed(d.end(), wm)) {
                        next = Math.min(next, d.end().toEpochMilli() + grace.toMillis());
                    }
                }
            }
        }
        for (KeyValue<String, DailyState> kv : due) {
            publishClosed(kv.key, kv.value.days(), wm, timestamp);
        }
        nextDue = next;
    }

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

    private static int indexOf(List<DailyState.Day> days, LocalDate day, String zone) {
        for (int i = 0; i < days.size(); i++) {
            if (days.get(i).day().equals(day) && days.get(i).timeZone().equals(zone)) {
                return i;
            }
        }
        return -1;
    }
}
