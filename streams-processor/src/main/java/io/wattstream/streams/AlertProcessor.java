package io.wattstream.streams;

import io.wattstream.model.Alert;
import io.wattstream.model.Alert.Kind;
import io.wattstream.model.Alert.State;
import io.wattstream.model.Reading;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Power and offline alerts. Power: RAISED above the threshold, CLEARED below threshold x (1 - hysteresis),
 * so a load hovering at the threshold does not flap; never RAISED twice in a row. Offline: a wall-clock
 * punctuation raises it for a device silent for {@code offlineAfter}; its next reading clears it.
 * This is a plain (not fixed-key) processor because a punctuation creates records of its own.
 */
final class AlertProcessor implements Processor<String, Measured, String, Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);

    private final double hysteresis;
    private final Duration offlineAfter;
    private final Duration checkEvery;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, AlertState> store;

    AlertProcessor(double hysteresis, Duration offlineAfter, Duration checkEvery) {
        this.hysteresis = hysteresis;
        this.offlineAfter = offlineAfter;
        this.checkEvery = checkEvery;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.ALERT_STATE);
        context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, this::checkOffline);
    }

    @Override
    public void process(Record<String, Measured> record) {
        String device = record.key();
        Reading r = record.value().reading();
        double threshold = record.value().thresholdW();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        AlertState s = store.get(device);
        Alert offline = s == null ? null : s.offline();
        if (s != null && s.offlineRaised()) {
            offline = new Alert(device, Kind.DEVICE_OFFLINE, State.CLEARED, null, null, null,
                    offline.startedAt(), now, seconds(offline.startedAt(), now));
            LOG.info("Device {} reports again after being offline since {}", device, offline.startedAt());
            context.forward(record.withValue(offline));
        }
        Alert power = s == null ? null : s.power();
        Instant lastEventAt = s == null ? null : s.lastEventAt();
        // A late reading does not drive transitions: the alert follows the device's newest state.
        if (lastEventAt == null || !r.timestamp().isBefore(lastEventAt)) {
            lastEventAt = r.timestamp();
            boolean raised = s != null && s.powerRaised();
            if (!raised && r.power() > threshold) {
                power = new Alert(device, Kind.POWER_OVER_THRESHOLD, State.RAISED, threshold, r.power(), r.power(),
                        r.timestamp(), null, null);
                LOG.info("Power alert RAISED for {}: {} W over {} W", device, r.power(), threshold);
                context.forward(record.withValue(power));
            } else if (raised) {
                double peak = Math.max(power.peakW(), r.power());
                if (r.power() < threshold * (1 - hysteresis)) {
                    power = new Alert(device, Kind.POWER_OVER_THRESHOLD, State.CLEARED, threshold, r.power(), peak,
                            power.startedAt(), r.timestamp(), seconds(power.startedAt(), r.timestamp()));
                    LOG.info("Power alert CLEARED for {}: {} W, peak {} W", device, r.power(), peak);
                    context.forward(record.withValue(power));
                } else {
                    power = new Alert(device, Kind.POWER_OVER_THRESHOLD, State.RAISED, power.thresholdW(),
                            power.powerW(), peak, power.startedAt(), null, null);
                }
            }
        } else if (s.powerRaised() && !r.timestamp().isBefore(power.startedAt()) && r.power() > power.peakW()) {
            power = new Alert(device, Kind.POWER_OVER_THRESHOLD, State.RAISED, power.thresholdW(), power.powerW(),
                    r.power(), power.startedAt(), null, null);
        }
        store.put(device, new AlertState(now, lastEventAt, power, offline));
    }

    private void checkOffline(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, AlertState> kv = it.next();
                AlertState s = kv.value;
                if (s.offlineRaised() || s.lastSeenAt() == null
                        || Duration.between(s.lastSeenAt(), now).compareTo(offlineAfter) < 0) {
                    continue;
                }
                Alert offline = new Alert(kv.key, Kind.DEVICE_OFFLINE, State.RAISED, null, null, null,
                        s.lastSeenAt(), null, null);
                LOG.info("Device {} OFFLINE: nothing received since {}", kv.key, s.lastSeenAt());
                store.put(kv.key, new AlertState(s.lastSeenAt(), s.lastEventAt(), s.power(), offline));
                context.forward(new Record<>(kv.key, offline, wallClockMs));
            }
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
