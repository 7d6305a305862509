package io.wattstream.notifier;

import io.helidon.config.Config;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The notifier's settings; every one has a default. {@link #TABLE} lists them all.
 *
 * @param port          HTTP port of {@code /deliveries}, health and metrics ({@code server.port}; 0 picks a free one)
 * @param startFrom     where a new consumer group starts: {@code latest} (a first start does not send
 *                      the history) or {@code earliest}
 * @param sendTimeout   bound of one send (connect + answer), HTTP and SMTP alike
 * @param maxQueued     a channel queue longer than this pauses consumption until it halves
 * @param recentSize    outcomes kept for {@code /deliveries}
 * @param partitions    partitions of the notifier's topics when it creates them
 * @param reminderCheck how often due reminders of unacknowledged alerts are looked for
 */
public record NotifierSettings(
        String bootstrap,
        int port,
        String groupId,
        String alertsTopic,
        String startFrom,
        RetryPolicy retry,
        Duration sendTimeout,
        int maxQueued,
        int recentSize,
        Duration commitInterval,
        Duration startTimeout,
        int partitions,
        Duration reminderCheck,
        Map<String, String> consumerOverrides,
        Map<String, String> producerOverrides) {

    /** Every setting of the notifier. */
    public static final SettingsTable TABLE = SettingsTable.of("notifier",
            List.of(SharedSettings.KAFKA_BROKER),
            List.of(Setting.of("NOTIFIER_PORT", "server.port", "8085", "HTTP port of /deliveries, health and metrics"),
                    Setting.of("NOTIFIER_GROUP_ID", "app.group-id", "wattstream-notifier", "consumer group on the alerts topic"),
                    Setting.of("NOTIFIER_ALERTS_TOPIC", "app.alerts-topic", Topics.ALERTS.name(), "topic of the alert transitions"),
                    Setting.of("NOTIFIER_START_FROM", "app.start-from", "latest",
                            "where a new consumer group starts: latest (old alerts are not sent) or earliest"),
                    Setting.of("NOTIFIER_RETRY_INITIAL_BACKOFF", "app.retry.initial-backoff", "1s",
                            "wait before the first retry of a failed send; it doubles, with jitter"),
                    Setting.of("NOTIFIER_RETRY_MAX_BACKOFF", "app.retry.max-backoff", "1m", "longest wait between retries"),
                    Setting.of("NOTIFIER_RETRY_MAX_ATTEMPTS", "app.retry.max-attempts", "60",
                            "sends of one transition before it is dead-lettered"),
                    Setting.of("NOTIFIER_GIVE_UP_AFTER", "app.retry.give-up-after", "30m",
                            "time from the first send after which a transition is dead-lettered"),
                    Setting.of("NOTIFIER_SEND_TIMEOUT", "app.send-timeout", "10s", "bound of one send (connect and answer), HTTP and SMTP"),
                    Setting.of("NOTIFIER_MAX_QUEUED", "app.max-queued", "10000",
                            "a channel queue longer than this pauses consumption until it halves"),
                    Setting.of("NOTIFIER_RECENT_SIZE", "app.recent-size", "500", "outcomes kept in memory for /deliveries"),
                    Setting.of("NOTIFIER_COMMIT_INTERVAL", "app.alerts-commit-interval", "1s",
                            "how often the finished offsets of the alerts topic are committed"),
                    Setting.of("NOTIFIER_START_TIMEOUT", "app.start-timeout", "60s",
                            "longest wait at start for the registries and the alert partitions"),
                    Setting.of("NOTIFIER_REMINDER_CHECK", "app.reminder-check", "10s",
                            "how often due reminders of unacknowledged alerts are looked for"),
                    Setting.of("TOPIC_PARTITIONS", "app.topic-partitions", Integer.toString(Topics.DEFAULT_PARTITIONS),
                            "partitions of a notifier topic created here"),
                    Setting.group("NOTIFIER_CONSUMER_CONFIG", "app.kafka.consumer",
                            "further Kafka consumer settings name=value,name=value, applied last"),
                    Setting.group("NOTIFIER_PRODUCER_CONFIG", "app.kafka.journal-producer",
                            "further Kafka producer settings name=value,name=value, applied last")));

    /** Reads the notifier's config node (children {@code server} and {@code app}). */
    public static NotifierSettings from(Config notifierConfig) {
        return from(TABLE.reader(notifierConfig));
    }

    /** Reads through a reader of {@link #TABLE} (the settings checks record what it asks for). */
    public static NotifierSettings from(SettingsReader r) {
        String startFrom = r.string("app.start-from");
        r.require(startFrom.equals("latest") || startFrom.equals("earliest"), "app.start-from", "must be latest or earliest", startFrom);
        Duration initial = r.duration("app.retry.initial-backoff");
        Duration max = r.duration("app.retry.max-backoff");
        r.require(!initial.isZero() && max.compareTo(initial) >= 0, "app.retry.max-backoff",
                "must be at least app.retry.initial-backoff (which must be over 0)", max);
        RetryPolicy retry = new RetryPolicy(initial, max, r.integer("app.retry.max-attempts", 1, 100_000),
                r.duration("app.retry.give-up-after"));
        return new NotifierSettings(
                r.string("app.kafka.bootstrap"),
                r.integer("server.port", 0, 65535),
                r.string("app.group-id"),
                r.string("app.alerts-topic"),
                startFrom,
                retry,
                r.duration("app.send-timeout"),
                r.integer("app.max-queued", 1, Integer.MAX_VALUE),
                r.integer("app.recent-size", 1, 100_000),
                r.duration("app.alerts-commit-interval"),
                r.duration("app.start-timeout"),
                r.integer("app.topic-partitions", 1, 10_000),
                r.duration("app.reminder-check"),
                r.group("app.kafka.consumer"),
                r.group("app.kafka.journal-producer"));
    }
}
