package io.wattstream.streams.processors;

import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.TopologySettings.EnergyRules;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The 1-hour windows of each meter, built from its closed minutes and the readings late for their minute
 * but on time for their hour ({@link MinuteWindows}), and published once each has closed: the same
 * figures as from every reading, at one store write per minute instead of per reading. A minute closes
 * well before its hour (30 s after its end against 5 min), so an hour never closes without its minutes.
 */
public final class HourWindows implements Processor<String, WindowFeed, String, WindowStats> {

    private final Duration size;
    private final Duration grace;
    private final Duration retention;
    private final EnergyRules rules;
    private ProcessorContext<String, WindowStats> context;
    private WindowBook book;

    /** @param retention how long after its end {@code /state} still shows a closed hour */
    public HourWindows(Duration size, Duration grace, Duration retention, EnergyRules rules) {
        this.size = size;
        this.grace = grace;
        this.retention = retention;
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, WindowStats> context) {
        this.context = context;
        this.book = new WindowBook(size, grace, retention, context.getStateStore(StoreNames.WINDOW_1H));
    }

    @Override
    public void process(Record<String, WindowFeed> record) {
        switch (record.value()) {
            case WindowFeed.ClosedMinute minute -> add(record.key(), minute.start(), sums -> sums.merge(DayPart.total(minute.parts())));
            case WindowFeed.LateReading late -> {
                Reading r = late.measured().reading();
                add(record.key(), r.timestamp(), sums -> sums.add(r));
            }
            // After the minutes that closed at this watermark: the hour is complete.
            case WindowFeed.Tick tick -> book.closeDue(tick.watermark(), (device, w) -> context.forward(new Record<>(
                    device, w.sums().toStats(device, w.start(), book.endOf(w.start()), rules), record.timestamp())));
        }
    }

    private void add(String device, Instant t, UnaryOperator<WindowAggregate> change) {
        book.update(device, book.startOf(t), parts -> WindowBook.add(parts, null, null, null, change));
    }
}
