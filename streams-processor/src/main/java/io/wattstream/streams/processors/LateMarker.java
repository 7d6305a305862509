package io.wattstream.streams.processors;

import io.wattstream.model.Reading;
import io.wattstream.streams.topology.StoreNames;
import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Marks a reading that arrives after its 1-minute or 1-hour window has closed ({@code late_1m},
 * {@code late_1h}) and counts it. The reading is still published and stored; only the closed
 * window leaves it out. The decision uses the task's watermark (the newest event time seen), kept in
 * a changelog-backed store so that a restart or a replay decides exactly alike, and the windows only
 * ever receive what this marker let through: nothing is dropped by them unmarked.
 */
public final class LateMarker implements FixedKeyProcessor<String, Measured, Measured> {

    static final String WATERMARK = "watermark";

    private final long size1m;
    private final long grace1m;
    private final long size1h;
    private final long grace1h;
    private FixedKeyProcessorContext<String, Measured> context;
    private KeyValueStore<String, Long> store;
    private Sensor late1m;
    private Sensor late1h;

    public LateMarker(Duration size1m, Duration grace1m, Duration size1h, Duration grace1h) {
        this.size1m = size1m.toMillis();
        this.grace1m = grace1m.toMillis();
        this.size1h = size1h.toMillis();
        this.grace1h = grace1h.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Measured> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.WINDOW_WATERMARK);
        this.late1m = Sensors.rateTotal(context, "late-readings-1m");
        this.late1h = Sensors.rateTotal(context, "late-readings-1h");
    }

    @Override
    public void process(FixedKeyRecord<String, Measured> record) {
        long t = record.timestamp();
        Long stored = store.get(WATERMARK);
        long watermark = stored == null ? t : Math.max(stored, t);
        if (stored == null || watermark > stored) {
            store.put(WATERMARK, watermark);
        }
        boolean minute = closed(t, size1m, grace1m, watermark);
        boolean hour = closed(t, size1h, grace1h, watermark);
        if (!minute && !hour) {
            context.forward(record);
            return;
        }
        if (minute) {
            late1m.record();
        }
        if (hour) {
            late1h.record();
        }
        Reading marked = record.value().reading().toBuilder().late1m(minute).late1h(hour).build();
        context.forward(record.withValue(record.value().withReading(marked)));
    }

    /** As Kafka Streams closes a window: once the watermark reaches its end plus the grace period. */
    static boolean closed(long t, long size, long grace, long watermark) {
        long end = t - Math.floorMod(t, size) + size;
        return end + grace <= watermark;
    }
}
