package io.wattstream.streams.processors;

import io.wattstream.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** Writes the {@link DeadLetter} headers, the one place that knows their encoding (UTF-8 text). */
public final class DeadLetters {

    /** Longer details are cut: a header is metadata, not a log. */
    static final int MAX_DETAIL = 1_000;

    static Headers describe(Headers headers, String reason, String detail, String topic, int partition, long offset) {
        headers.remove(DeadLetter.REASON);
        headers.remove(DeadLetter.DETAIL);
        headers.remove(DeadLetter.ORIGIN_TOPIC);
        headers.remove(DeadLetter.ORIGIN_PARTITION);
        headers.remove(DeadLetter.ORIGIN_OFFSET);
        headers.add(DeadLetter.REASON, utf8(reason));
        headers.add(DeadLetter.DETAIL, utf8(truncate(detail == null ? "" : detail)));
        if (topic != null) {
            headers.add(DeadLetter.ORIGIN_TOPIC, utf8(topic));
            headers.add(DeadLetter.ORIGIN_PARTITION, utf8(Integer.toString(partition)));
            headers.add(DeadLetter.ORIGIN_OFFSET, utf8(Long.toString(offset)));
        }
        return headers;
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private DeadLetters() {
    }
}
