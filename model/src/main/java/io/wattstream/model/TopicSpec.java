package io.wattstream.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How one pipeline topic is created: its name, whether it is compacted (only the latest value per key
 * counts, as in a registry) and how long it keeps records (empty: the cluster's default). Every topic
 * gets the same partition count, {@link Topics#DEFAULT_PARTITIONS} unless configured, and the
 * cluster's default replication factor. The stream processor's topic set-up, the embedded broker and
 * the deployment's {@code deploy/create-topics.sh} all create topics from these (a test keeps the
 * script equal to them).
 */
public record TopicSpec(String name, boolean compacted, Optional<Duration> retention) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(retention, "retention");
    }

    /** A topic that keeps every record for the cluster's default retention. */
    public static TopicSpec deleting(String name) {
        return new TopicSpec(name, false, Optional.empty());
    }

    /** A compacted topic: the latest value of each key is kept. */
    public static TopicSpec compacted(String name) {
        return new TopicSpec(name, true, Optional.empty());
    }

    /** The same topic under another name (the raw topic's name can be configured). */
    public TopicSpec named(String otherName) {
        return new TopicSpec(otherName, compacted, retention);
    }

    /** The topic-level settings it is created with ({@code cleanup.policy}, {@code retention.ms}). */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        if (compacted) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        retention.ifPresent(r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
        return configs;
    }

    /** The admin request that creates it with the given partitions and the cluster's replication factor. */
    public NewTopic newTopic(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs());
    }
}
