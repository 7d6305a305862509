package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
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
 * its newest reading (kept by {@link EnergyProcessor} in {@link StoreNames#LATEST_READING}, so the
 * status costs no store of its own). A partial that arrives before any full status is held, and
 * released (overlaid) when the first one arrives, so nothing half-empty is ever published.
 */
public final class OverlayProcessor implements FixedKeyProcessor<String, RawReading, RawReading> {

    private static final Logger LOG = LoggerFactory.getLogger(OverlayProcessor.class);

    private final int maxHeld;
    private FixedKeyProcessorContext<String, RawReading> context;
    private KeyValueStore<String, Reading> latest;
    private KeyValueStore<String, HeldPartials> held;

    public OverlayProcessor(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, RawReading> context) {
        this.context = context;
        this.latest = context.getStateStore(StoreNames.LATEST_READING);
        this.held = context.getStateStore(StoreNames.HELD_PARTIALS);
    }

    @Override
    public void process(FixedKeyRecord<String, RawReading> record) {
        String device = record.key();
        RawReading r = record.value();
        if (r.partial()) {
            Reading base = latest.get(device);
            if (base == null) {
                hold(device, r);
                return;
            }
            context.forward(record.withValue(r.overlayOn(base.asStatus())));
            return;
        }
        HeldPartials waiting = held.get(device);
        if (waiting != null) {
            held.delete(device);
            List<RawReading> released = new ArrayList<>(waiting.partials());
            released.sort(Comparator.comparing(RawReading::timestamp));
            LOG.debug("Releasing {} held partials of {} on its first full status", released.size(), device);
            for (RawReading p : released) {
                RawReading merged = p.overlayOn(r);
                context.forward(record.withValue(merged).withTimestamp(merged.timestamp().toEpochMilli()));
            }
        }
        context.forward(record);
    }

    private void hold(String device, RawReading partial) {
        HeldPartials waiting = held.get(device);
        List<RawReading> list = new ArrayList<>(waiting == null ? List.of() : waiting.partials());
        list.add(partial);
        if (list.size() > maxHeld) {
            // A device that never sends a full status must not grow the store without bound.
            LOG.warn("Device {} sent {} partials without any full status; dropping the oldest", device, list.size());
            list.remove(0);
        }
        held.put(device, new HeldPartials(list));
        LOG.debug("Holding partial of {} at {} until a full status arrives", device, partial.timestamp());
    }
}
