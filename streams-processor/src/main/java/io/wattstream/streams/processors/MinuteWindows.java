package io.wattstream.streams.processors;

import io.wattstream.model.Reading;
import io.wattstream.streams.topology.StoreNames;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The 1-minute windows of each meter, and the feed of the hours and days ({@link WindowFeed}). Each
 * reading that {@link LateMarker} found on time for its minute is added to it; a closed minute leaves
 * once, for {@code shelly.readings.1m} and for the hours and days. A reading late for its minute but on
 * time for its hour goes on to them as it is, so each of them holds exactly what it held when it saw
 * every reading, at one store write per reading here instead of one per reading in each of them.
 */
public final class MinuteWindows implements Processor<String, Measured, String, WindowFeed> {

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private final Duration size;
    private final Duration grace;
    private final Duration retention;
    private final Duration hourSize;
    private final Duration hourGrace;
    private final ZoneId defaultZone;
    private ProcessorContext<String, WindowFeed> context;
    private KeyValueStore<String, Long> watermark;
    private WindowBook book;
    private long lastTick = Long.MIN_VALUE;
    /** The former window stores are still to be moved (see {@link FormerWindows}). */
    private boolean formerToMove;
    /** The watermark the task was left at before this instance saw any record. */
    private Long formerWatermark;

    /**
     * @param retention how long after its end {@code /state} still shows a closed minute
     * @param hourSize  and {@code hourGrace}: the hours', to move the former hour windows
     */
    public MinuteWindows(Duration size, Duration grace, Duration retention, Duration hourSize, Duration hourGrace,
                         ZoneId defaultZone) {
        this.size = size;
        this.grace = grace;
        this.retention = retention;
        this.hourSize = hourSize;
        this.hourGrace = hourGrace;
        this.defaultZone = defaultZone;
    }

    @Override
    public void init(ProcessorContext<String, WindowFeed> context) {
        this.context = context;
        this.watermark = context.getStateStore(StoreNames.WINDOW_WATERMARK);
        this.book = new WindowBook(size, grace, retention, context.getStateStore(StoreNames.WINDOW_1M));
        this.lastTick = Long.MIN_VALUE;
        // Read before the marker sees this instance's first record: the watermark the former windows were left at.
        this.formerToMove = watermark.get(FormerWindows.MOVED) == null;
        this.formerWatermark = watermark.get(LateMarker.WATERMARK);
    }

    @Override
    public void process(Record<String, Measured> record) {
        if (formerToMove) {
            FormerWindows.move(context, formerWatermark, size, grace, hourSize, hourGrace, defaultZone);
            watermark.put(FormerWindows.MOVED, formerWatermark == null ? record.timestamp() : formerWatermark);
            formerToMove = false;
        }
        Measured m = record.value();
        Reading r = m.reading();
        Long stored = watermark.get(LateMarker.WATERMARK);
        long wm = stored == null ? record.timestamp() : stored;
        if (!r.late1m()) {
            ZoneId zone = m.timeZone() != null ? m.timeZone() : defaultZone;
            LocalDate day = LocalDate.ofInstant(r.timestamp(), zone);
            book.update(record.key(), book.startOf(r.timestamp()),
                    parts -> WindowBook.add(parts, zone.getId(), day, r.site(), sums -> sums.add(r)));
        } else if (!r.late1h()) {
            context.forward(record.withValue(new WindowFeed.LateReading(m, wm)));
        }
        book.closeDue(wm, (device, w) -> context.forward(
                new Record<>(device, new WindowFeed.ClosedMinute(w.start(), w.parts(), wm), record.timestamp())));
        long minute = Math.floorDiv(wm, MINUTE);
        if (minute > lastTick) {
            lastTick = minute;
            context.forward(new Record<>(record.key(), new WindowFeed.Tick(wm), record.timestamp()));
        }
    }
}
