package io.wattstream.streams.processors;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The windows of one size of a task's meters, in a key-value store: fixed, epoch-aligned windows that
 * close, as Kafka Streams closes them, once the task's watermark reaches their end plus the grace period.
 * Closing looks at every meter of the task, so it runs only when the watermark has reached the earliest
 * time anything can close, which this instance tracks from what it saw (from scratch after each start:
 * the first record then looks at everything once).
 */
final class WindowBook {

    private final long size;
    private final long grace;
    private final long retention;
    private final KeyValueStore<String, OpenWindows> store;
    private long nextDue = Long.MIN_VALUE;

    /** @param retention how long after its end a closed window is still shown by {@code /state} */
    WindowBook(Duration size, Duration grace, Duration retention, KeyValueStore<String, OpenWindows> store) {
        this.size = size.toMillis();
        this.grace = grace.toMillis();
        this.retention = retention.toMillis();
        this.store = store;
    }

    Instant startOf(Instant t) {
        long ms = t.toEpochMilli();
        return Instant.ofEpochMilli(ms - Math.floorMod(ms, size));
    }

    Instant endOf(Instant start) {
        return start.plusMillis(size);
    }

    /**
     * Updates the parts of the meter's window starting at {@code start}, opening it if need be; a newly
     * opened window is the newest (nothing on time lies before a closed window), so closed ones go.
     */
    void update(String device, Instant start, UnaryOperator<List<DayPart>> change) {
        OpenWindows state = store.get(device);
        List<OpenWindows.Window> windows = new ArrayList<>(state == null ? 4 : state.windows().size() + 1);
        boolean found = false;
        if (state != null) {
            for (OpenWindows.Window w : state.windows()) {
                if (w.start().equals(start)) {
                    windows.add(new OpenWindows.Window(start, false, change.apply(w.parts())));
                    found = true;
                } else {
                    windows.add(w);
                }
            }
        }
        if (!found) {
            windows.removeIf(OpenWindows.Window::closed);
            windows.add(new OpenWindows.Window(start, false, change.apply(List.of())));
            windows.sort(java.util.Comparator.comparing(OpenWindows.Window::start));
        }
        store.put(device, new OpenWindows(windows));
        nextDue = Math.min(nextDue, start.toEpochMilli() + size + grace);
    }

    /** Hands every window closed at {@code watermark} to {@code closed}, in time order per meter. */
    void closeDue(long watermark, BiConsumer<String, OpenWindows.Window> closed) {
        if (watermark < nextDue) {
            return;
        }
        long next = Long.MAX_VALUE;
        List<KeyValue<String, OpenWindows>> changed = new ArrayList<>();
        try (KeyValueIterator<String, OpenWindows> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, OpenWindows> kv = it.next();
                List<OpenWindows.Window> kept = new ArrayList<>();
                boolean change = false;
                for (OpenWindows.Window w : kv.value.windows()) {
                    long end = w.start().toEpochMilli() + size;
                    if (!w.closed() && end + grace <= watermark) {
                        closed.accept(kv.key, w);
                        w = new OpenWindows.Window(w.start(), true, w.parts());
                        change = true;
                    }
                    if (w.closed() && end + retention <= watermark) {
                        change = true;
                        continue;
                    }
                    kept.add(w);
                    next = Math.min(next, w.closed() ? end + retention : end + grace);
                }
                if (change) {
                    changed.add(KeyValue.pair(kv.key, kept.isEmpty() ? null : new OpenWindows(kept)));
                }
            }
        }
        for (KeyValue<String, OpenWindows> kv : changed) {
            if (kv.value == null) {
                store.delete(kv.key);
            } else {
                store.put(kv.key, kv.value);
            }
        }
        nextDue = next;
    }

    /** Adds one reading's figures to the part of its local day (the last part, in an hour's single part). */
    static List<DayPart> add(List<DayPart> parts, String zone, java.time.LocalDate day, String site,
                             UnaryOperator<WindowAggregate> change) {
        List<DayPart> out = new ArrayList<>(parts.size() + 1);
        boolean found = false;
        for (DayPart p : parts) {
            if (!found && java.util.Objects.equals(p.timeZone(), zone) && java.util.Objects.equals(p.day(), day)) {
                out.add(new DayPart(zone, day, site, change.apply(p.sums())));
                found = true;
            } else {
                out.add(p);
            }
        }
        if (!found) {
            out.add(new DayPart(zone, day, site, change.apply(WindowAggregate.empty())));
        }
        return out;
    }
}
