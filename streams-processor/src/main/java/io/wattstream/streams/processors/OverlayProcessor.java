package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.streams.topology.StoreNames;

/**
 * Completes {@code NotifyStatus} partials: each is overlaid on the device's last known status, which is
 * its newest reading (kept in its {@link MeterState}, so the status costs no store of its own). A partial
 * that arrives before any full status is held, and released (overlaid) when the first one arrives, so
 * nothing half-empty is ever published. The meter's state read here travels with the reading to the
 * energy rules, which write it back: one read and at most one write per reading.
 */
public final class OverlayProcessor implements FixedKeyProcessor<String, RawReading, Overlaid> {

    private static final Logger LOG = LoggerFactory.getLogger(OverlayProcessor.class);

    private final int maxHeld;
    private FixedKeyProcessorContext<String, Overlaid> context;
    private KeyValueStore<String, MeterState> meters;
    private KeyValueStore<String, MeterState> formerCounters;
    private KeyValueStore<String, HeldPartials> formerHeld;

    public OverlayProcessor(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Overlaid> context) {
        this.context = context;
        this.meters = context.getStateStore(StoreNames.LATEST_READING);
        this.formerCounters = context.getStateStore(StoreNames.METER_STATE);
        this.formerHeld = context.getStateStore(StoreNames.HELD_PARTIALS);
    }

    @Override
    public void process(FixedKeyRecord<String, RawReading> record) {
        String device = record.key();
        RawReading r = record.value();
        MeterState state = state(device);
        if (r.partial()) {
            if (state == null || state.latest() == null) {
                hold(device, state, r);
                return;
            }
            context.forward(record.withValue(Overlaid.of(r.overlayOn(state.latest().asStatus()), state)));
            return;
        }
        if (state == null || state.held().isEmpty()) {
            context.forward(record.withValue(Overlaid.of(r, state)));
            return;
        }
        meters.put(device, state.withHeld(List.of()));
        List<RawReading> released = new ArrayList<>(state.held());
        released.sort(Comparator.comparing(RawReading::timestamp));
        LOG.debug("Releasing {} held partials of {} on its first full status", released.size(), device);
        for (RawReading p : released) {
            RawReading merged = p.overlayOn(r);
            context.forward(record.withValue(Overlaid.unknown(merged)).withTimestamp(merged.timestamp().toEpochMilli()));
        }
        context.forward(record.withValue(Overlaid.unknown(r)));
    }

    /**
     * The meter's state; a meter last seen before its state was one value gets it assembled, once, from the
     * former stores (whose entries are then deleted).
     */
    private MeterState state(String device) {
        MeterState state = meters.get(device);
        if (state != null && !state.legacy()) {
            return state;
        }
        MeterState counters = formerCounters.get(device);
        HeldPartials held = formerHeld.get(device);
        if (counters == null && held == null) {
            return state;
        }
        MeterState merged = new MeterState(counters == null ? null : counters.consumed(),
                counters == null ? null : counters.returned(), state == null ? null : state.latest(),
                held == null ? List.of() : held.partials());
        formerCounters.delete(device);
        formerHeld.delete(device);
        meters.put(device, merged);
        LOG.info("Moved the state of {} into {}", device, StoreNames.LATEST_READING);
        return merged;
    }

    private void hold(String device, MeterState state, RawReading partial) {
        List<RawReading> list = new ArrayList<>(state == null ? List.of() : state.held());
        list.add(partial);
        if (list.size() > maxHeld) {
            // A device that never sends a full status must not grow the store without bound.
            LOG.warn("Device {} sent {} partials without any full status; dropping the oldest", device, list.size());
            list.remove(0);
        }
        meters.put(device, state == null ? new MeterState(null, null, null, list) : state.withHeld(list));
        LOG.debug("Holding partial of {} at {} until a full status arrives", device, partial.timestamp());
    }
}
