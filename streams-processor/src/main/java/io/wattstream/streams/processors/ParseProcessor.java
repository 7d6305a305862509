package io.wattstream.streams.processors;

import io.wattstream.model.DeadLetter;
import io.wattstream.model.InvalidReadingException;
import io.wattstream.model.JsonSerde;
import io.wattstream.model.RawReading;
import io.wattstream.model.ReadingRules;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates a raw record. The raw topic is consumed as bytes so that a record that cannot
 * be read is dead-lettered here, inside the transaction, with its origin and reason, instead of
 * stopping the application. A valid reading leaves with its event time as the record timestamp,
 * which every window downstream uses.
 */
public final class ParseProcessor implements FixedKeyProcessor<String, byte[], Parsed> {

    private static final Logger LOG = LoggerFactory.getLogger(ParseProcessor.class);
    private static final JsonSerde<RawReading> SERDE = new JsonSerde<>(RawReading.class);

    private FixedKeyProcessorContext<String, Parsed> context;
    private Sensor deadLettered;

    @Override
    public void init(FixedKeyProcessorContext<String, Parsed> context) {
        this.context = context;
        this.deadLettered = Sensors.rateTotal(context, "dead-lettered");
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        byte[] bytes = record.value();
        RawReading reading;
        try {
            reading = bytes == null ? null : SERDE.fromBytes(bytes);
        } catch (SerializationException e) {
            reject(record, DeadLetter.UNREADABLE, e.getMessage());
            return;
        }
        if (reading == null) {
            reject(record, DeadLetter.UNREADABLE, "empty value");
            return;
        }
        try {
            ReadingRules.validate(reading);
        } catch (InvalidReadingException e) {
            reject(record, DeadLetter.INVALID, e.getMessage());
            return;
        }
        // State is kept per record key; a key that names another device would corrupt it.
        if (!Objects.equals(record.key(), reading.deviceId())) {
            reject(record, DeadLetter.INVALID,
                    "record key '" + record.key() + "' does not match device_id '" + reading.deviceId() + "'");
            return;
        }
        RawReading timed = EventTime.apply(reading);
        context.forward(record.withValue(Parsed.ok(timed)).withTimestamp(timed.timestamp().toEpochMilli()));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, String reason, String detail) {
        RecordMetadata origin = context.recordMetadata().orElse(null);
        String topic = origin == null ? null : origin.topic();
        int partition = origin == null ? -1 : origin.partition();
        long offset = origin == null ? -1 : origin.offset();
        LOG.warn("Dead-lettering record from {}-{}@{}: {} ({})", topic, partition, offset, reason, detail);
        deadLettered.record();
        DeadLetters.describe(record.headers(), reason, detail, topic, partition, offset);
        context.forward(record.withValue(Parsed.rejected(record.value(), reason, detail)));
    }
}
