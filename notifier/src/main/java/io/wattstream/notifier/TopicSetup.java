package io.wattstream.notifier;

import io.wattstream.model.TopicCreation;
import io.wattstream.model.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the notifier's own topics when missing, as {@link Topics#notifierSpecs()} defines them; existing ones stay as they are. */
final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    static void ensure(String bootstrap, int partitions) {
        var wanted = Topics.notifierSpecs().stream().map(spec -> spec.newTopic(partitions)).toList();
        TopicCreation.createMissing(bootstrap, wanted).forEach(name -> LOG.info("created topic {}", name));
    }

    private TopicSetup() {
    }
}
