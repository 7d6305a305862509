package io.wattstream.notifier;

import io.helidon.config.Config;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.Map;

/**
 * The notifier's {@code app} settings; every value has a default.
 *
 * @param startFrom        where a new consumer group starts: {@code latest} (the default: a first start
 *                         does not send the history) or {@code earliest}
 * @param sendTimeout      bound of one send (connect + answer), HTTP and SMTP alike
 * @param maxQueued        a channel queue longer than this pauses consumption until it halves
 * @param recentSize       outcomes kept for {@code /deliveries}
 * @param partitions       partitions of the notifier's topics when it creates them
 * @param reminderCheck    how often due reminders of unacknowledged alerts are looked for
 */
record NotifierSettings(
        String bootstrap,
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

    static NotifierSettings from(Config app) {
        RetryPolicy d = RetryPolicy.DEFAULT;
        RetryPolicy retry = new RetryPolicy(
                duration(app.get("retry.initial-backoff"), d.initialBackoff()),
                duration(app.get("retry.max-backoff"), d.maxBackoff()),
                app.get("retry.max-attempts").asInt().orElse(d.maxAttempts()),
                duration(app.get("retry.give-up-after"), d.giveUpAfter()));
        String startFrom = app.get("start-from").asString().orElse("latest");
        if (!startFrom.equals("latest") && !startFrom.equals("earliest")) {
            throw new IllegalArgumentException("app.start-from must be latest or earliest, not " + startFrom);
        }
        return new NotifierSettings(
                app.get("kafka.bootstrap").asString().orElse("localhost:9092"),
                app.get("group-id").asString().orElse("wattstream-notifier"),
                app.get("alerts-topic").asString().orElse(Topics.ALERTS.name()),
                startFrom,
                retry,
                duration(app.get("send-timeout"), Duration.ofSeconds(10)),
                app.get("max-queued").asInt().orElse(10_000),
                app.get("recent-size").asInt().orElse(500),
                duration(app.get("alerts-commit-interval"), Duration.ofSeconds(1)),
                duration(app.get("start-timeout"), Duration.ofSeconds(60)),
                app.get("topic-partitions").asInt().orElse(3),
                duration(app.get("reminder-check"), Duration.ofSeconds(10)),
                app.get("kafka.consumer").detach().asMap().orElse(Map.of()),
                app.get("kafka.journal-producer").detach().asMap().orElse(Map.of()));
    }

    private static Duration duration(Config node, Duration fallback) {
        return node.asString().map(Durations::parse).orElse(fallback);
    }
}
