package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.streams.topology.StoreNames;

/**
 * Drops a reading whose identity {@code (device_id, timestamp)} was already seen (device or gateway
 * retry, MQTT redelivery). Identities live in a window store keyed at their event time, so they expire
 * with the store's retention instead of growing forever.
 */
public final class DeduplicateProcessor implements FixedKeyProcessor<String, RawReading, RawReading> {

    private static final Logger LOG = LoggerFactory.getLogger(DeduplicateProcessor.class);

    private final long retentionMs;
    private FixedKeyProcessorContext<String, RawReading> context;
    private WindowStore<String, Long> seen;
    private Sensor duplicates;
    private long maxEventTime = Long.MIN_VALUE;

    public DeduplicateProcessor(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, RawReading> context) {
        this.context = context;
        this.seen = context.getStateStore(StoreNames.DEDUP);
        this.duplicates = Sensors.rateTotal(context, "duplicates-dropped");
    }

    @Override
    public void process(FixedKeyRecord<String, RawReading> record) {
        RawReading r = record.value();
        long eventTime = r.timestamp().toEpochMilli();
        maxEventTime = Math.max(maxEventTime, eventTime);
        // Older than the store keeps: it could not be found nor stored, so let it through.
        if (eventTime > maxEventTime - retentionMs) {
            String identity = r.deviceId() + "|" + r.timestamp();
            if (seen.fetch(identity, eventTime) != null) {
                duplicates.record();
                LOG.debug("Dropping duplicate reading of {} at {}", r.deviceId(), r.timestamp());
                return;
            }
            seen.put(identity, r.receivedAt().toEpochMilli(), eventTime);
        }
        context.forward(record);
    }
}
