package io.wattstream.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private final PartitionProgress p = new PartitionProgress(new TopicPartition("shelly.alerts", 0));

    @Test
    void nothingToCommitBeforeTheFirstRecord() {
        assertThat(p.committable()).isEmpty();
    }

    @Test
    void commitStopsAtTheOldestUnfinishedRecord() {
        p.consumed(10, 2);
        p.consumed(11, 0);
        p.consumed(12, 1);
        assertThat(p.committable()).hasValue(10);
        p.finished(12);
        p.finished(10);
        assertThat(p.committable()).hasValue(10);
        p.finished(10);
        assertThat(p.committable()).hasValue(13);
    }

    @Test
    void laterRecordFinishingFirstDoesNotMoveTheCommit() {
        p.consumed(5, 1);
        p.consumed(6, 1);
        p.finished(6);
        assertThat(p.committable()).hasValue(5);
        assertThat(p.unfinishedRecords()).isEqualTo(1);
    }
}
