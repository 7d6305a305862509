package io.wattstream.notifier;

import io.wattstream.model.TopicCreation;
import io.wattstream.model.Topics;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the notifier's own topics when missing (channels compacted, one partition); existing ones stay as they are. */
final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    static void ensure(String bootstrap, int partitions) {
        var wanted = Topics.notifier().stream().map(t -> {
            boolean channels = t == Topics.NOTIFY_CHANNELS;
            NewTopic topic = new NewTopic(t.name(), Optional.of(channels ? 1 : partitions), Optional.empty());
            return channels
                    ? topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                    : topic;
        }).toList();
        TopicCreation.createMissing(bootstrap, wanted).forEach(name -> LOG.info("created topic {}", name));
    }

    private TopicSetup() {
    }
}
