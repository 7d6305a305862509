package io.wattstream.notifier;

import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What of one assigned partition is finished. An offset may be committed only when every record
 * before it is finished (each channel confirmed, dead-lettered or suppressed, and its outcome
 * journaled), so the commit point is the oldest unfinished record, or the next offset when none is.
 * Channels finish in any order; a fast channel's later records wait for a slow one's only here, not
 * in delivery.
 */
final class PartitionProgress {

    private final TopicPartition partition;
    private final TreeMap<Long, Integer> unfinished = new TreeMap<>();
    private long next = -1;
    private volatile boolean revoked;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    TopicPartition partition() {
        return partition;
    }

    /** Registers a consumed record with the number of outcomes it waits for (0: finished already). */
    synchronized void consumed(long offset, int outcomes) {
        if (outcomes > 0) {
            unfinished.put(offset, outcomes);
        }
        next = Math.max(next, offset + 1);
    }

    synchronized void finished(long offset) {
        unfinished.computeIfPresent(offset, (o, n) -> n == 1 ? null : n - 1);
    }

    /** The offset to commit: the oldest unfinished record, else the next one; empty before any record. */
    synchronized OptionalLong committable() {
        if (!unfinished.isEmpty()) {
            return OptionalLong.of(unfinished.firstKey());
        }
        return next < 0 ? OptionalLong.empty() : OptionalLong.of(next);
    }

    synchronized int unfinishedRecords() {
        return unfinished.size();
    }

    /** Another consumer owns the partition now: its queued deliveries are left to that owner. */
    void revoke() {
        revoked = true;
    }

    boolean revoked() {
        return revoked;
    }
}
