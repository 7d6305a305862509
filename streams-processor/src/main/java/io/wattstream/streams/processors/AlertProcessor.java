package io.wattstream.streams.processors;

import io.wattstream.model.Alert;
import io.wattstream.model.Alert.Kind;
import io.wattstream.model.Alert.State;
import io.wattstream.model.Device;
import io.wattstream.model.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.TopologySettings;

/**
 * Power, offline, device-error and temperature alerts, and counter-reset events. Power: RAISED above
 * the threshold, CLEARED below threshold x (1 - hysteresis), so a load hovering at the threshold does
 * not flap; never raised twice with different starts. A raised alert is re-judged when the device's
 * threshold changes (see {@link #rejudge}): CLEARED when the power is below the new clear level, else
 * RAISED again with the same start and the new threshold, an update of the same alert. Offline: a
 * wall-clock punctuation raises it for a device
 * silent for {@code offlineAfter}; its next reading clears it (wall-clock driven, so not replayable).
 * Device errors: each error flag the device reports raises a DEVICE_ERROR (detail: the error), cleared
 * by the first reading without it. Temperature: above the limit raises OVER_TEMPERATURE, cleared at or
 * below the limit minus {@value #TEMPERATURE_HYSTERESIS_C} C. A counter reset is one EVENT.
 * This is a plain (not fixed-key) processor because a punctuation creates records of its own.
 */
public final class AlertProcessor implements Processor<String, Measured, String, Alert> {

    private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);
    static final double TEMPERATURE_HYSTERESIS_C = 5;

    /**
     * How often raised power alerts are compared with the registry: a threshold change shows within this
     * long, also for a device that reports rarely. Each check reads in-memory stores only.
     */
    public static final Duration REGISTRY_CHECK_EVERY = Duration.ofSeconds(2);

    private final double hysteresis;
    private final double defaultThresholdW;
    private final Duration offlineAfter;
    private final Duration checkEvery;
    private final double temperatureLimitC;
    private final boolean wallClockChecks;
    /** Exact last-seen times of this task's devices since it started; the store keeps them coarser. */
    private final Map<String, Instant> lastSeen = new HashMap<>();
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, AlertState> store;
    private KeyValueStore<String, MeterState> meters;
    private TimestampedKeyValueStore<String, Device> devices;

    /**
     * @param wallClockChecks false in a replay: offline alerts and the re-judging of raised alerts on a
     *                        registry change follow the wall clock of live processing and cannot be
     *                        recomputed from the raw log (a replay judges every reading by today's registry)
     */
    public AlertProcessor(TopologySettings settings, boolean wallClockChecks) {
        this.hysteresis = settings.hysteresis();
        this.defaultThresholdW = settings.defaultThresholdW();
        this.offlineAfter = settings.offlineAfter();
        this.checkEvery = settings.offlineCheckEvery();
        this.temperatureLimitC = settings.temperatureLimitC();
        this.wallClockChecks = wallClockChecks;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.ALERT_STATE);
        this.meters = context.getStateStore(StoreNames.LATEST_READING);
        // The registry's global table: the very copy the enrichment reads, so both judge by one threshold.
        this.devices = context.getStateStore(StoreNames.DEVICES);
        if (wallClockChecks) {
            context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, this::checkOffline);
            context.schedule(REGISTRY_CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME, this::checkThresholds);
        }
    }

    @Override
    public void process(Record<String, Measured> record) {
        String device = record.key();
        Reading r = record.value().reading();
        double threshold = record.value().thresholdW();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        lastSeen.put(device, now);
        AlertState s = store.get(device);
        boolean dirty = s == null || Duration.between(s.lastSeenAt(), now).compareTo(checkEvery) >= 0;
        Instant seen = dirty ? now : s.lastSeenAt();
        Alert offline = s == null ? null : s.offline();
        Alert power = s == null ? null : s.power();
        SortedMap<String, Alert> errors = s == null ? new TreeMap<>() : s.errors();
        Alert temperature = s == null ? null : s.temperature();

        if (s != null && s.offlineRaised()) {
            offline = new Alert(device, Kind.DEVICE_OFFLINE, State.CLEARED, null, null, null,
                    offline.startedAt(), now, seconds(offline.startedAt(), now));
            LOG.info("Device {} reports again after being offline since {}", device, offline.startedAt());
            context.forward(record.withValue(offline));
            dirty = true;
        }
        boolean raised = s != null && s.powerRaised();
        // A late reading does not drive transitions: the alert follows the device's newest state.
        if (record.value().newest()) {
            if (!raised && r.power() > threshold) {
                power = new Alert(device, Kind.POWER_OVER_THRESHOLD, State.RAISED, threshold, r.power(), r.power(),
                        r.timestamp(), null, null);
                LOG.info("Power alert RAISED for {}: {} W over {} W", device, r.power(), threshold);
                context.forward(record.withValue(power));
                dirty = true;
            } else if (raised && r.power() < threshold * (1 - hysteresis)) {
                power = cleared(power, threshold, r.power(), r.timestamp());
                context.forward(record.withValue(power));
                dirty = true;
            } else if (raised && !judgedBy(power, threshold)) {
                // Still at or above the new clear level: the same alert, on the new threshold.
                power = rejudged(power, threshold, r.power(), r.timestamp());
                context.forward(record.withValue(power));
                dirty = true;
            } else if (raised && r.power() > power.peakW()) {
                power = withPeak(power, r.power());
                dirty = true;
            }
        } else if (raised && !r.timestamp().isBefore(power.startedAt()) && r.power() > power.peakW()) {
            power = withPeak(power, r.power());
            dirty = true;
        }
        if (record.value().newest()) {
            dirty |= deviceErrors(record, r, errors);
            Alert t = temperature(record, r, temperature);
            dirty |= t != temperature;
            temperature = t;
            if (record.value().resetDetail() != null) {
                LOG.info("Energy counter of {} reset at {}: {}", device, r.timestamp(), record.value().resetDetail());
                context.forward(record.withValue(new Alert(device, Kind.COUNTER_RESET, State.EVENT, null, r.power(), null,
                        r.timestamp(), r.timestamp(), 0.0, record.value().resetDetail())));
            }
        }
        if (dirty) {
            store.put(device, new AlertState(seen, power, offline, errors, temperature));
        }
    }

    /** Raises each newly reported error, clears each one no longer reported; true when anything changed. */
    private boolean deviceErrors(Record<String, Measured> record, Reading r, SortedMap<String, Alert> raised) {
        Set<String> now = r.errors() == null ? Set.of() : new TreeSet<>(List.of(r.errors().split(",")));
        boolean changed = false;
        for (Iterator<Map.Entry<String, Alert>> it = raised.entrySet().iterator(); it.hasNext(); ) {
            Alert a = it.next().getValue();
            if (!now.contains(a.detail())) {
                it.remove();
                LOG.info("Device error {} CLEARED for {}", a.detail(), r.deviceId());
                context.forward(record.withValue(new Alert(a.deviceId(), Kind.DEVICE_ERROR, State.CLEARED, null, r.power(),
                        null, a.startedAt(), r.timestamp(), seconds(a.startedAt(), r.timestamp()), a.detail())));
                changed = true;
            }
        }
        for (String error : now) {
            if (!raised.containsKey(error)) {
                Alert a = new Alert(r.deviceId(), Kind.DEVICE_ERROR, State.RAISED, null, r.power(), null, r.timestamp(),
                        null, null, error);
                LOG.info("Device error {} RAISED for {}", error, r.deviceId());
                raised.put(error, a);
                context.forward(record.withValue(a));
                changed = true;
            }
        }
        return changed;
    }

    /** The temperature alert after this reading (the same instance when nothing changed). */
    private Alert temperature(Record<String, Measured> record, Reading r, Alert last) {
        Double c = r.temperatureC();
        if (c == null) {
            return last;
        }
        boolean raised = last != null && last.state() == State.RAISED;
        String detail = String.format(Locale.ROOT, "over %s C", temperatureLimitC);
        if (!raised && c > temperatureLimitC) {
            LOG.info("OVER_TEMPERATURE RAISED for {}: {} C over {} C", r.deviceId(), c, temperatureLimitC);
            Alert a = new Alert(r.deviceId(), Kind.OVER_TEMPERATURE, State.RAISED, null, r.power(), null, r.timestamp(),
                    null, null, detail);
            context.forward(record.withValue(a));
            return a;
        }
        if (raised && c <= temperatureLimitC - TEMPERATURE_HYSTERESIS_C) {
            LOG.info("OVER_TEMPERATURE CLEARED for {}: {} C", r.deviceId(), c);
            Alert a = new Alert(r.deviceId(), Kind.OVER_TEMPERATURE, State.CLEARED, null, r.power(), null,
                    last.startedAt(), r.timestamp(), seconds(last.startedAt(), r.timestamp()), last.detail());
            context.forward(record.withValue(a));
            return a;
        }
        return last;
    }

    private Alert cleared(Alert raised, double threshold, double powerW, Instant at) {
        double peak = Math.max(raised.peakW(), powerW);
        LOG.info("Power alert CLEARED for {}: {} W, peak {} W, threshold {} W", raised.deviceId(), powerW, peak, threshold);
        return new Alert(raised.deviceId(), Kind.POWER_OVER_THRESHOLD, State.CLEARED, threshold, powerW, peak,
                raised.startedAt(), at, seconds(raised.startedAt(), at));
    }

    /** The raised alert on a changed threshold: RAISED again, same start (so the same alert row), new level. */
    private static Alert rejudged(Alert raised, double threshold, double powerW, Instant at) {
        LOG.info("Power alert of {} stays RAISED at {} W on its new threshold {} W (was {} W) at {}",
                raised.deviceId(), powerW, threshold, raised.thresholdW(), at);
        return new Alert(raised.deviceId(), Kind.POWER_OVER_THRESHOLD, State.RAISED, threshold, powerW,
                Math.max(raised.peakW(), powerW), raised.startedAt(), null, null);
    }

    /**
     * Re-judges each raised power alert whose threshold is no longer the device's (its registry entry, else
     * the default) by the device's newest reading, at once rather than at its next reading, which may be
     * minutes away: the banner then agrees with the threshold the operator just set. The registry is read
     * from the global table here because a registry change does not drive the stream; feeding the changes
     * in as events would need them on the raw topic's partitioning, and could still be overtaken by a
     * reading enriched from the table's older copy. A lowered threshold raises nothing here: an alert
     * starts at a reading over it, the device's next.
     */
    private void checkThresholds(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, AlertState> kv = it.next();
                AlertState s = kv.value;
                if (!s.powerRaised()) {
                    continue;
                }
                ValueAndTimestamp<Device> entry = devices.get(kv.key);
                double threshold = Enriched.thresholdOf(entry == null ? null : entry.value(), defaultThresholdW);
                MeterState meter = meters.get(kv.key);
                Reading newest = meter == null ? null : meter.latest();
                if (judgedBy(s.power(), threshold) || newest == null) {
                    continue;
                }
                // Judged now, by the newest power known: never before that reading's own time.
                Instant at = newest.timestamp().isAfter(now) ? newest.timestamp() : now;
                Alert power = newest.power() < threshold * (1 - hysteresis)
                        ? cleared(s.power(), threshold, newest.power(), at)
                        : rejudged(s.power(), threshold, newest.power(), at);
                store.put(kv.key, new AlertState(s.lastSeenAt(), power, s.offline(), s.errors(), s.temperature()));
                context.forward(new Record<>(kv.key, power, wallClockMs));
            }
        }
    }

    private static boolean judgedBy(Alert power, double threshold) {
        return power.thresholdW() != null && power.thresholdW() == threshold;
    }

    private static Alert withPeak(Alert raised, double peak) {
        return new Alert(raised.deviceId(), Kind.POWER_OVER_THRESHOLD, State.RAISED, raised.thresholdW(),
                raised.powerW(), peak, raised.startedAt(), null, null);
    }

    private void checkOffline(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        try (KeyValueIterator<String, AlertState> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, AlertState> kv = it.next();
                AlertState s = kv.value;
                if (s.offlineRaised() || s.lastSeenAt() == null) {
                    continue;
                }
                // Only the stored (coarse) time is known after a restart: wait one interval more, never less.
                Instant exact = lastSeen.get(kv.key);
                Instant since = exact != null ? exact : s.lastSeenAt();
                Duration silence = exact != null ? offlineAfter : offlineAfter.plus(checkEvery);
                if (Duration.between(since, now).compareTo(silence) < 0) {
                    continue;
                }
                Alert offline = new Alert(kv.key, Kind.DEVICE_OFFLINE, State.RAISED, null, null, null,
                        since, null, null);
                LOG.info("Device {} OFFLINE: nothing received since {}", kv.key, since);
                store.put(kv.key, new AlertState(since, s.power(), offline, s.errors(), s.temperature()));
                context.forward(new Record<>(kv.key, offline, wallClockMs));
            }
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
