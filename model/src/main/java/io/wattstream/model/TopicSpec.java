package io.wattstream.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How one topic is created: its name, its partitions (empty: the configured count, by default
 * {@link Topics#DEFAULT_PARTITIONS}), whether it is compacted (only the latest value per key counts,
 * as in a registry) and how long it keeps records (empty: the cluster's default). The replication
 * factor is the cluster's. The stream processor's topic set-up, the embedded broker and the
 * deployment's {@code deploy/create-topics.sh} all create topics from these (a test keeps the script
 * equal to them).
 */
public record TopicSpec(String name, OptionalInt partitions, boolean compacted, Optional<Duration> retention) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(partitions, "partitions");
        Objects.requireNonNull(retention, "retention");
        partitions.ifPresent(TopicSpec::checkPartitions);
    }

    /** A topic that keeps every record for the cluster's default retention. */
    public static TopicSpec deleting(String name) {
        return new TopicSpec(name, OptionalInt.empty(), false, Optional.empty());
    }

    /** A compacted topic: the latest value of each key is kept. */
    public static TopicSpec compacted(String name) {
        return new TopicSpec(name, OptionalInt.empty(), true, Optional.empty());
    }

    /** The same topic under another name (the raw topic's name can be configured). */
    public TopicSpec named(String otherName) {
        return new TopicSpec(otherName, partitions, compacted, retention);
    }

    /** The same topic with a fixed partition count, whatever count is configured for the others. */
    public TopicSpec withPartitions(int fixed) {
        return new TopicSpec(name, OptionalInt.of(fixed), compacted, retention);
    }

    /** The same topic keeping its records for {@code keep} (the raw topic: what a replay can reach). */
    public TopicSpec withRetention(Duration keep) {
        return new TopicSpec(name, partitions, compacted, Optional.of(keep));
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

    /**
     * The admin request that creates it: its own partition count if it has one, else
     * {@code configuredPartitions}; the cluster's replication factor.
     */
    public NewTopic newTopic(int configuredPartitions) {
        int n = partitions.orElse(checkPartitions(configuredPartitions));
        return new NewTopic(name, Optional.of(n), Optional.empty()).configs(configs());
    }

    private static int checkPartitions(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        return partitions;
    }
}
