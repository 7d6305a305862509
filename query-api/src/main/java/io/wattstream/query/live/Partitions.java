package io.wattstream.query.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The partitions of topics that may not exist yet when the query API starts before the pipeline made them. */
final class Partitions {

    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);

    private Partitions() {
    }

    /**
     * Every partition of {@code topics}, once each of them has at least one; asks again every second
     * while {@code running}. Empty when stopped or interrupted first.
     */
    static List<TopicPartition> await(Consumer<?, ?> consumer, List<String> topics, BooleanSupplier running) {
        while (running.getAsBoolean()) {
            try {
                List<TopicPartition> parts = new ArrayList<>();
                for (String topic : topics) {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                    if (infos == null || infos.isEmpty()) {
                        break;
                    }
                    infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                }
                if (parts.stream().map(TopicPartition::topic).distinct().count() == topics.size()) {
                    return parts;
                }
            } catch (TimeoutException e) {
                LOG.warn("Topics {} not reachable yet: {}", topics, e.getMessage());
            }
            try {
                Thread.sleep(1000); // retry pacing for an absent broker/topic, not synchronisation
            } catch (InterruptedException e) {
                return List.of(); // stopping: the caller closes its consumer
            }
        }
        return List.of();
    }
}
