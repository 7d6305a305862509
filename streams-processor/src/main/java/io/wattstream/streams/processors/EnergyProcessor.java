package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.TopologySettings.EnergyRules;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the meter's cumulative counters (consumed and returned energy) into per-reading deltas by the
 * {@link Counter} rules, and integrates power over the same interval for the reconciliation. A
 * reading older than the meter's newest gets zero deltas: the later reading's delta already covers
 * its interval, so counting it again would double count (and subtracting would go negative).
 */
public final class EnergyProcessor implements FixedKeyProcessor<String, Enriched, Measured> {

    private final EnergyRules rules;
    private FixedKeyProcessorContext<String, Measured> context;
    private KeyValueStore<String, MeterState> meters;
    private Sensor resets;
    private Sensor implausible;

    public EnergyProcessor(EnergyRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Measured> context) {
        this.context = context;
        this.meters = context.getStateStore(StoreNames.LATEST_READING);
        this.resets = Sensors.rateTotal(context, "counter-resets");
        this.implausible = Sensors.rateTotal(context, "implausible-jumps");
    }

    @Override
    public void process(FixedKeyRecord<String, Enriched> record) {
        Enriched e = record.value();
        RawReading r = e.raw();
        MeterState state = e.meter().known() ? e.meter().state() : meters.get(record.key());
        Reading previous = state == null ? null : state.latest();
        boolean newest = previous == null || r.timestamp().isAfter(previous.timestamp());
        Reading.Builder out = Reading.from(r).overThreshold(r.power() > e.thresholdW())
                .deviceName(e.deviceName()).site(e.site());
        String resetDetail = null;
        Counter.State consumed = state == null ? null : state.consumed();
        Counter.State returned = state == null ? null : state.returned();
        if (newest) {
            if (consumed == null && previous != null) {
                // State written before the counters were kept: the previous reading is the baseline.
                consumed = Counter.State.first(previous.energy(), previous.timestamp());
                returned = previous.energyReturned() == null ? null
                        : Counter.State.first(previous.energyReturned(), previous.timestamp());
            }
            if (consumed == null) {
                consumed = Counter.State.first(r.energy(), r.timestamp());
            } else {
                double before = consumed.baselineWh();
                Counter.Step step = Counter.step(consumed, r.energy(), r.timestamp(), e.maxPowerW(), rules);
                consumed = step.next();
                out.energyDeltaWh(step.deltaWh()).counterReset(step.reset()).implausibleJump(step.implausible());
                if (step.reset()) {
                    resetDetail = resetDetail("energy", before, r.energy());
                }
                if (step.implausible()) {
                    implausible.record();
                }
            }
            if (r.energyReturned() != null) {
                if (returned == null) {
                    returned = Counter.State.first(r.energyReturned(), r.timestamp());
                } else {
                    double before = returned.baselineWh();
                    Counter.Step step = Counter.step(returned, r.energyReturned(), r.timestamp(), e.maxPowerW(), rules);
                    returned = step.next();
                    out.energyReturnedDeltaWh(step.deltaWh());
                    if (step.reset()) {
                        out.counterReset(true);
                        String d = resetDetail("energy_returned", before, r.energyReturned());
                        resetDetail = resetDetail == null ? d : resetDetail + "; " + d;
                    }
                    if (step.implausible()) {
                        out.implausibleJump(true);
                        implausible.record();
                    }
                }
            }
            if (previous != null) {
                out.energyFromPowerWh(integrated(previous, r));
            }
            if (resetDetail != null) {
                resets.record();
            }
        }
        Reading reading = out.build();
        if (newest) {
            meters.put(record.key(), new MeterState(consumed, returned, reading, state == null ? null : state.held()));
        }
        context.forward(record.withValue(new Measured(reading, e.thresholdW(), newest, resetDetail, e.device(), null)));
    }

    /** Energy from the power readings over the interval since the previous one (trapezoid), Wh. */
    static double integrated(Reading previous, RawReading r) {
        double seconds = Duration.between(previous.timestamp(), r.timestamp()).toNanos() / 1e9;
        return Counter.round((previous.power() + r.power()) / 2 * seconds / 3600);
    }

    private static String resetDetail(String counter, double fromWh, double toWh) {
        return String.format(Locale.ROOT, "%s counter went from %s Wh to %s Wh", counter, fromWh, toWh);
    }
}
