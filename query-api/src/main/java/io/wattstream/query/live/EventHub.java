package io.wattstream.query.live;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out of live events to subscribers, each through its own bounded queue. Publishing never
 * blocks: a subscriber whose queue is full is dropped (its client reconnects and resumes), so a
 * slow client cannot stall the others. The newest events stay in a bounded ring buffer so a
 * reconnecting client can resume after the id it last saw.
 */
public final class EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    private static final Event POISON = new Event(-1, "", "", "", "");

    /** One event; {@code id} is {@code <instance>-<sequence>}, unique for this process's lifetime. */
    public record Event(long seq, String id, String name, String deviceId, String data) {
    }

    /** Distinguishes this process's ids from an earlier run's, whose sequence numbers mean nothing here. */
    private final String instance = Long.toString(System.currentTimeMillis(), 36);
    private final int clientQueue;
    private final int replayCapacity;
    private final ArrayDeque<Event> replay = new ArrayDeque<>();
    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    private long seq;
    private volatile Listener listener = new Listener() {
    };

    /** Told about what happens in the hub (metrics); must not block. */
    interface Listener {
        default void published() {
        }

        default void droppedSlowClient() {
        }
    }

    public EventHub(int clientQueue, int replayCapacity) {
        if (clientQueue < 1 || replayCapacity < 0) {
            throw new IllegalArgumentException("client queue must be >= 1 and replay buffer >= 0");
        }
        this.clientQueue = clientQueue;
        this.replayCapacity = replayCapacity;
    }

    public void listener(Listener l) {
        this.listener = l;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /**
     * Subscribes; with a {@code lastEventId} of this instance still in the ring buffer, the events
     * after it are queued first. Replay and registration happen under the publish lock, so nothing
     * is missed or doubled between them.
     */
    public Subscription subscribe(String deviceFilter, String lastEventId) {
        Subscription s = new Subscription(deviceFilter, new ArrayBlockingQueue<>(clientQueue));
        synchronized (replay) {
            long after = resumePoint(lastEventId);
            if (after >= 0) {
                List<Event> missed = new ArrayList<>();
                for (Event e : replay) {
                    if (e.seq() > after && s.wants(e)) {
                        missed.add(e);
                    }
                }
                // Keep the newest ones if more were missed than the queue holds.
                missed.subList(Math.max(0, missed.size() - clientQueue), missed.size()).forEach(s.queue::offer);
                s.resumed = true;
            }
            subscribers.add(s);
        }
        return s;
    }

    public void unsubscribe(Subscription s) {
        subscribers.remove(s);
    }

    /** The sequence to resume after, or -1 when the id is not ours or too old to resume from. */
    private long resumePoint(String lastEventId) {
        if (lastEventId == null || !lastEventId.startsWith(instance + "-")) {
            return -1;
        }
        try {
            long last = Long.parseLong(lastEventId.substring(instance.length() + 1));
            Event oldest = replay.peekFirst();
            long oldestSeq = oldest == null ? seq + 1 : oldest.seq();
            return last >= oldestSeq - 1 && last <= seq ? last : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public void publish(String name, String deviceId, String data) {
        synchronized (replay) {
            long n = ++seq;
            Event e = new Event(n, instance + "-" + n, name, deviceId, data);
            if (replayCapacity > 0) {
                replay.addLast(e);
                if (replay.size() > replayCapacity) {
                    replay.removeFirst();
                }
            }
            for (Subscription s : subscribers) {
                if (s.wants(e) && !s.queue.offer(e)) {
                    LOG.warn("Dropping a live-feed client {} events behind", clientQueue);
                    drop(s);
                    listener.droppedSlowClient();
                }
            }
            listener.published();
        }
    }

    /** Ends every subscription (shutdown): their streams close and clients reconnect elsewhere. */
    public void dropAll() {
        synchronized (replay) {
            subscribers.forEach(this::drop);
        }
    }

    private void drop(Subscription s) {
        subscribers.remove(s);
        s.dropped = true;
        s.queue.clear();
        s.queue.offer(POISON);
    }

    /** One client's view of the feed. */
    public static final class Subscription {
        private final String deviceFilter;
        private final BlockingQueue<Event> queue;
        private volatile boolean dropped;
        private volatile boolean resumed;

        private Subscription(String deviceFilter, BlockingQueue<Event> queue) {
            this.deviceFilter = deviceFilter;
            this.queue = queue;
        }

        boolean wants(Event e) {
            return deviceFilter == null || deviceFilter.equals(e.deviceId());
        }

        /** The next event, or null when none came within the timeout (time for a heartbeat) or it was dropped. */
        public Event next(Duration timeout) throws InterruptedException {
            Event e = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return e == POISON ? null : e;
        }

        /** True once the hub gave up on this subscriber (too slow, or the service is stopping). */
        public boolean dropped() {
            return dropped;
        }

        /** True when the subscription started with a replay after the client's Last-Event-ID. */
        public boolean resumed() {
            return resumed;
        }
    }
}
