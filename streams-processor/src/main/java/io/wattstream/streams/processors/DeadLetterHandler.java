package io.wattstream.streams.processors;

import io.wattstream.model.DeadLetter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last line of defence: a record that fails to deserialize in a typed source, or whose processing
 * throws, is written to the dead-letter topic ({@code errors.dead.letter.queue.topic.name}) with the
 * original bytes and Wattstream's {@link DeadLetter} headers, and processing continues. Expected bad
 * input (unreadable or invalid raw readings) never gets here: {@code parse-validate} handles it.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        dlqTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception e) {
        LOG.warn("Cannot read record {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), e.toString());
        return DeserializationExceptionHandler.Response.resume(
                deadLetter(context, record.key(), record.value(), DeadLetter.UNREADABLE, e));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception e) {
        LOG.warn("Processing failed in {} for record {}-{}@{}", context.processorNodeId(), context.topic(),
                context.partition(), context.offset(), e);
        return ProcessingExceptionHandler.Response.resume(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), DeadLetter.PROCESSING_FAILED, e));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
                                                             String reason, Exception e) {
        // A punctuation has no source record: there is nothing to dead-letter, the log line says it all.
        if (dlqTopic == null || value == null) {
            return List.of();
        }
        RecordHeaders headers = new RecordHeaders();
        DeadLetters.describe(headers, reason, e.toString(), context.topic(), context.partition(), context.offset());
        return List.of(new ProducerRecord<>(dlqTopic, null, key, value, headers));
    }
}
