package io.wattstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

    @Test
    void specifiesEveryPipelineTopicInOrder() {
        assertThat(Topics.specs()).extracting(TopicSpec::name)
                .containsExactlyElementsOf(Topics.all().stream().map(Topics.Topic::name).toList());
    }

    @Test
    void onlyTheRegistriesAreCompactedAndEveryTopicTakesTheConfiguredPartitions() {
        assertThat(Topics.specs()).filteredOn(TopicSpec::compacted).extracting(TopicSpec::name)
                .containsExactly(Topics.DEVICES.name(), Topics.TARIFFS.name(), Topics.NOTIFY_CHANNELS.name(),
                        Topics.ALERT_ACKS.name());
        // The channel topic keeps one partition, so a route is read after the channel written before it.
        assertThat(Topics.specs()).filteredOn(t -> t.partitions().isPresent())
                .extracting(t -> t.name() + "=" + t.partitions().getAsInt())
                .containsExactly(Topics.NOTIFY_CHANNELS.name() + "=1");
    }

    @Test
    void theRawTopicKeepsAYearAndADayForReplaysTheOthersTheClustersRetention() {
        assertThat(Topics.specs().get(0).retention()).contains(java.time.Duration.ofDays(366));
        assertThat(Topics.specs().get(0).configs()).containsEntry("retention.ms", "31622400000");
        assertThat(Topics.specs().subList(1, Topics.specs().size())).allSatisfy(t -> assertThat(t.retention()).isEmpty());
        assertThat(Topics.specs("raw", java.time.Duration.ofDays(30)).get(0).configs())
                .containsEntry("retention.ms", Long.toString(java.time.Duration.ofDays(30).toMillis()));
    }

    @Test
    void theNotifierCreatesItsOwnTopicsAndTheAcknowledgementsAsSpecified() {
        assertThat(Topics.notifierSpecs()).extracting(TopicSpec::name).containsExactly(Topics.NOTIFY_CHANNELS.name(),
                Topics.NOTIFY_LOG.name(), Topics.NOTIFY_DLQ.name(), Topics.ALERT_ACKS.name());
        assertThat(Topics.specs()).containsAll(Topics.notifierSpecs());
    }

    @Test
    void aRenamedRawTopicKeepsItsSettingsAndTheOthersTheirNames() {
        assertThat(Topics.specs("site-a.raw")).extracting(TopicSpec::name)
                .containsExactly("site-a.raw", "shelly.readings", "shelly.alerts", "shelly.readings.1m",
                        "shelly.readings.1h", "shelly.readings.1d", "shelly.sessions", "shelly.devices",
                        "shelly.tariffs", "shelly.dlq", "shelly.notify-channels", "shelly.notify-log",
                        "shelly.notify-dlq", "shelly.alert-acks");
        assertThat(Topics.specs("site-a.raw").get(0)).isEqualTo(Topics.specs().get(0).named("site-a.raw"));
    }

    @Test
    void createsWithTheConfiguredPartitionsTheClustersReplicationAndItsSettings() {
        NewTopic devices = TopicSpec.compacted("shelly.devices").newTopic(6);
        assertThat(devices.name()).isEqualTo("shelly.devices");
        assertThat(devices.numPartitions()).isEqualTo(6);
        assertThat(devices.replicationFactor()).isEqualTo((short) -1); // the broker's default.replication.factor
        assertThat(devices.configs()).containsExactlyEntriesOf(Map.of("cleanup.policy", "compact"));
        assertThat(TopicSpec.deleting("shelly.readings").newTopic(Topics.DEFAULT_PARTITIONS).numPartitions()).isEqualTo(3);
        assertThat(TopicSpec.deleting("shelly.readings").newTopic(1).configs()).isEmpty();
    }

    @Test
    void aTopicOfItsOwnKeepsItsPartitionsAndRetention() {
        TopicSpec dlq = new TopicSpec("shelly.dlq", OptionalInt.empty(), false, Optional.of(Duration.ofDays(7))).withPartitions(1);
        NewTopic created = dlq.newTopic(6);
        assertThat(created.numPartitions()).isEqualTo(1);
        assertThat(created.configs()).containsExactlyEntriesOf(Map.of("retention.ms", "604800000"));
        assertThat(dlq.named("other.dlq")).isEqualTo(new TopicSpec("other.dlq", OptionalInt.of(1), false,
                Optional.of(Duration.ofDays(7))));
    }

    @Test
    void rejectsATopicWithoutPartitions() {
        assertThatThrownBy(() -> TopicSpec.deleting("shelly.readings").newTopic(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> TopicSpec.deleting("shelly.readings").withPartitions(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
