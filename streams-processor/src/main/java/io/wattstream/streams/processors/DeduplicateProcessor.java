package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import java.time.Instant;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.streams.topology.StoreNames;

/**
 * Gives every reading its identity {@code (device_id, timestamp)} and drops exact retries.
 *
 * <p>A reading takes the first microsecond at or after its event time that no <em>different</em>
 * reading of its device holds: the first reading of a device time keeps it, the n-th distinct one
 * gets that time + n µs. A reading equal to the one holding a slot (same values: a device or gateway
 * retry, a redelivery) is that reading again and is dropped. The slots live in a changelog-backed
 * window store, in the partition's order, so the same raw records always give the same identities,
 * after a restart and in a replay alike. Slots expire with the store's retention; a retry older
 * than that is stored again under the same identity (the sink's upsert makes that harmless).
 */
public final class DeduplicateProcessor implements FixedKeyProcessor<String, RawReading, RawReading> {

    private static final Logger LOG = LoggerFactory.getLogger(DeduplicateProcessor.class);
    /** More distinct readings than this at one device time is not a device but a fault. */
    static final int MAX_SLOTS = 1_000;

    private FixedKeyProcessorContext<String, RawReading> context;
    private WindowStore<String, Long> slots;
    private Sensor duplicates;
    private Sensor sameTime;

    @Override
    public void init(FixedKeyProcessorContext<String, RawReading> context) {
        this.context = context;
        this.slots = context.getStateStore(StoreNames.IDENTITY);
        this.duplicates = Sensors.rateTotal(context, "duplicates-dropped");
        this.sameTime = Sensors.rateTotal(context, "same-time-readings");
    }

    @Override
    public void process(FixedKeyRecord<String, RawReading> record) {
        RawReading r = record.value();
        long fingerprint = fingerprint(r);
        Instant slot = r.timestamp();
        for (int n = 0; n < MAX_SLOTS; n++, slot = slot.plusNanos(1_000)) {
            String key = r.deviceId() + "|" + slot;
            long at = slot.toEpochMilli();
            Long holder = slots.fetch(key, at);
            if (holder == null) {
                slots.put(key, fingerprint, at);
                if (n > 0) {
                    sameTime.record();
                    LOG.debug("Reading {} of {} at {} is distinct: stored at {}", n + 1, r.deviceId(), r.timestamp(), slot);
                    r = r.withTimestamp(slot);
                    context.forward(record.withValue(r).withTimestamp(at));
                } else {
                    context.forward(record);
                }
                return;
            }
            if (holder == fingerprint) {
                duplicates.record();
                LOG.debug("Dropping duplicate reading of {} at {}", r.deviceId(), slot);
                return;
            }
        }
        throw new IllegalStateException("more than " + MAX_SLOTS + " distinct readings of " + r.deviceId() + " at "
                + r.timestamp());
    }

    /**
     * A 64-bit digest of what the device measured (not when or how it was received): equal for a retry,
     * different for another reading. Stable across processes and versions of the JVM.
     */
    static long fingerprint(RawReading r) {
        long h = 0x9E3779B97F4A7C15L;
        h = mix(h, r.power());
        h = mix(h, r.voltage());
        h = mix(h, r.current());
        h = mix(h, r.energy());
        h = mix(h, r.energyReturned());
        h = mix(h, r.freq());
        h = mix(h, r.pf());
        h = mix(h, r.temperatureC());
        h = mix(h, r.output() == null ? 2 : r.output() ? 1 : 0);
        h = mix(h, r.errors() == null ? -1 : r.errors().hashCode());
        return mix(h, r.partial() ? 1 : 0);
    }

    private static long mix(long h, Double d) {
        return mix(h, d == null ? 0x7FF8DEADL : Double.doubleToLongBits(d));
    }

    /** One step of splitmix64 over the running hash. */
    private static long mix(long h, long v) {
        long z = h ^ (v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
