package io.wattstream.streams.processors;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {

    private static final byte[] KEY = "dev-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = "{\"device_id\":\"dev-1\"}".getBytes(StandardCharsets.UTF_8);

    /** The context Kafka Streams hands a handler: where the failing record came from. */
    private record Origin(String topic, int partition, long offset) implements ErrorHandlerContext {
        public Headers headers() {
            return new RecordHeaders();
        }

        public String processorNodeId() {
            return "energy-delta";
        }

        public TaskId taskId() {
            return new TaskId(0, partition);
        }

        public long timestamp() {
            return 0;
        }

        public byte[] sourceRawKey() {
            return KEY;
        }

        public byte[] sourceRawValue() {
            return VALUE;
        }
    }

    private static DeadLetterHandler handler(String dlq) {
        DeadLetterHandler h = new DeadLetterHandler();
        h.configure(dlq == null ? Map.of() : Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, dlq));
        return h;
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void processingFailureIsDeadLetteredWithTheSourceBytesAndResumes() {
        ProcessingExceptionHandler.Response res = handler("shelly.dlq").handleError(
                new Origin("shelly.readings.raw", 2, 41), new Record<>("dev-1", "x", 0), new IllegalStateException("boom"));

        assertThat(res.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(res.deadLetterQueueRecords()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("shelly.dlq");
            assertThat(r.key()).isEqualTo(KEY);
            assertThat(r.value()).isEqualTo(VALUE);
            assertThat(header(r, DeadLetter.REASON)).isEqualTo(DeadLetter.PROCESSING_FAILED);
            assertThat(header(r, DeadLetter.DETAIL)).contains("boom");
            assertThat(header(r, DeadLetter.ORIGIN_TOPIC)).isEqualTo("shelly.readings.raw");
            assertThat(header(r, DeadLetter.ORIGIN_PARTITION)).isEqualTo("2");
            assertThat(header(r, DeadLetter.ORIGIN_OFFSET)).isEqualTo("41");
        });
    }

    @Test
    void unreadableRecordIsDeadLetteredAsUnreadable() {
        DeserializationExceptionHandler.Response res = handler("shelly.dlq").handleError(
                new Origin("shelly.devices", 0, 7), new ConsumerRecord<>("shelly.devices", 0, 7, KEY, VALUE),
                new org.apache.kafka.common.errors.SerializationException("not a Device"));

        assertThat(res.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(res.deadLetterQueueRecords()).singleElement()
                .satisfies(r -> assertThat(header(r, DeadLetter.REASON)).isEqualTo(DeadLetter.UNREADABLE));
    }

    @Test
    void withoutDeadLetterTopicItStillResumes() {
        ProcessingExceptionHandler.Response res = handler(null).handleError(
                new Origin("t", 0, 0), new Record<>("k", "v", 0), new RuntimeException("x"));

        assertThat(res.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(res.deadLetterQueueRecords()).isEmpty();
    }
}
