package io.wattstream.model;

/** Header names and reason codes for records on {@code shelly.dlq}. */
public final class DeadLetter {

    public static final String REASON = "wattstream.dlq.reason";
    public static final String DETAIL = "wattstream.dlq.detail";
    public static final String ORIGIN_TOPIC = "wattstream.dlq.topic";
    public static final String ORIGIN_PARTITION = "wattstream.dlq.partition";
    public static final String ORIGIN_OFFSET = "wattstream.dlq.offset";

    /** The notifier: the channel that could not be reached, and how often it was tried. */
    public static final String CHANNEL = "wattstream.dlq.channel";
    public static final String ATTEMPTS = "wattstream.dlq.attempts";
    public static final String IDEMPOTENCY_KEY = "wattstream.dlq.idempotency-key";

    /** The value cannot be parsed as the topic's record type. */
    public static final String UNREADABLE = "UNREADABLE";
    /** Parsed, but a field is missing or outside its bounds. */
    public static final String INVALID = "INVALID";
    /** Processing threw on an otherwise valid record. */
    public static final String PROCESSING_FAILED = "PROCESSING_FAILED";
    /** The notifier's retries for a transition ran out (or the receiver refused it for good). */
    public static final String DELIVERY_FAILED = "DELIVERY_FAILED";

    private DeadLetter() {
    }
}
