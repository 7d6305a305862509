package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import io.wattstream.streams.topology.StoreNames;

/**
 * Turns the device's cumulative energy counter into per-reading deltas against the latest reading by
 * event time. A counter that went down was reset (reboot, user reset) and counted up from zero since.
 * A reading older than the latest one gets a zero delta: the later reading's delta already covers its
 * interval, so counting it again would double count (and subtracting would go negative).
 */
public final class EnergyProcessor implements FixedKeyProcessor<String, Enriched, Measured> {

    private FixedKeyProcessorContext<String, Measured> context;
    private KeyValueStore<String, Reading> latest;

    @Override
    public void init(FixedKeyProcessorContext<String, Measured> context) {
        this.context = context;
        this.latest = context.getStateStore(StoreNames.LATEST_READING);
    }

    @Override
    public void process(FixedKeyRecord<String, Enriched> record) {
        Enriched e = record.value();
        RawReading r = e.raw();
        Reading previous = latest.get(record.key());
        double delta = 0;
        boolean reset = false;
        boolean newest = previous == null || r.timestamp().isAfter(previous.timestamp());
        if (previous != null && newest) {
            if (r.energy() >= previous.energy()) {
                delta = round(r.energy() - previous.energy());
            } else {
                delta = r.energy();
                reset = true;
            }
        }
        Reading reading = Reading.from(r).energyDeltaWh(delta).counterReset(reset)
                .overThreshold(r.power() > e.thresholdW()).deviceName(e.deviceName()).site(e.site()).build();
        if (newest) {
            latest.put(record.key(), reading);
        }
        context.forward(record.withValue(new Measured(reading, e.thresholdW(), newest)));
    }

    /** Counters are decimal Wh; drop binary floating-point noise from the subtraction. */
    static double round(double wh) {
        return Math.round(wh * 1e6) / 1e6;
    }
}
