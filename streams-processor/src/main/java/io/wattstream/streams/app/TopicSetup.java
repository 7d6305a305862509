package io.wattstream.streams.app;

import io.wattstream.model.TopicSpec;
import io.wattstream.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline topics this application reads and writes when they are missing (brokers run
 * with auto-creation off), as {@link Topics#specs(String)} defines them, with the configured partitions
 * and the cluster's default replication factor. Existing topics are left as they are, except the raw
 * topic's retention, which is set to the configured one: a replay can only reach back that far.
 */
final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    static void ensure(String bootstrap, String rawTopic, int partitions, Duration rawRetention) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : Topics.specs(rawTopic, rawRetention)) {
                if (!existing.contains(spec.name())) {
                    missing.add(spec.newTopic(partitions));
                } else if (spec.name().equals(rawTopic)) {
                    keepRawRetention(admin, rawTopic, rawRetention);
                }
            }
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    LOG.info("Created topic {} with {} partitions", topic.name(), partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " to check topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void keepRawRetention(Admin admin, String rawTopic, Duration retention)
            throws ExecutionException, TimeoutException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, rawTopic);
        String now = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(TopicConfig.RETENTION_MS_CONFIG).value();
        String wanted = Long.toString(retention.toMillis());
        if (!wanted.equals(now)) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, wanted), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.info("Raw topic {} now keeps readings for {} (was retention.ms={})", rawTopic, retention, now);
        }
    }

    private TopicSetup() {
    }
}
