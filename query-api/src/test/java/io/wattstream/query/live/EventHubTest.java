package io.wattstream.query.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHubTest {

    static final Duration NOW = Duration.ZERO;

    static List<EventHub.Event> drain(EventHub.Subscription s) throws InterruptedException {
        List<EventHub.Event> out = new ArrayList<>();
        for (EventHub.Event e = s.next(NOW); e != null; e = s.next(NOW)) {
            out.add(e);
        }
        return out;
    }

    @Test
    void fansEveryEventOutToEverySubscriberThatWantsIt() throws InterruptedException {
        EventHub hub = new EventHub(16, 100);
        EventHub.Subscription all = hub.subscribe(null, null);
        EventHub.Subscription onlyA = hub.subscribe("a", null);
        hub.publish("reading", "a", "{\"n\":1}");
        hub.publish("alert", "b", "{\"n\":2}");
        assertThat(drain(all)).extracting(EventHub.Event::data).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(drain(onlyA)).extracting(EventHub.Event::name).containsExactly("reading");
    }

    @Test
    void aSlowSubscriberIsDroppedWithoutHoldingUpTheOthers() throws InterruptedException {
        EventHub hub = new EventHub(4, 100);
        EventHub.Subscription slow = hub.subscribe(null, null);
        EventHub.Subscription fast = hub.subscribe(null, null);
        List<EventHub.Event> fastGot = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            hub.publish("reading", "a", Integer.toString(i));
            fastGot.addAll(drain(fast));
        }
        assertThat(fastGot).hasSize(10);
        assertThat(slow.dropped()).isTrue();
        assertThat(slow.next(NOW)).isNull();
        assertThat(hub.subscriberCount()).isEqualTo(1);
    }

    @Test
    void resumesAfterTheLastSeenIdFromTheRingBuffer() throws InterruptedException {
        EventHub hub = new EventHub(16, 100);
        EventHub.Subscription first = hub.subscribe(null, null);
        hub.publish("reading", "a", "1");
        String lastSeen = drain(first).get(0).id();
        hub.unsubscribe(first);
        hub.publish("reading", "a", "2");
        hub.publish("reading", "b", "3");
        EventHub.Subscription again = hub.subscribe(null, lastSeen);
        assertThat(again.resumed()).isTrue();
        assertThat(drain(again)).extracting(EventHub.Event::data).containsExactly("2", "3");
        EventHub.Subscription filtered = hub.subscribe("b", lastSeen);
        assertThat(drain(filtered)).extracting(EventHub.Event::data).containsExactly("3");
    }

    @Test
    void anUnknownOrEvictedIdStartsLiveWithoutReplay() throws InterruptedException {
        EventHub hub = new EventHub(16, 2);
        EventHub.Subscription first = hub.subscribe(null, null);
        hub.publish("reading", "a", "1");
        String old = drain(first).get(0).id();
        for (int i = 2; i <= 5; i++) {
            hub.publish("reading", "a", Integer.toString(i));
        }
        EventHub.Subscription evicted = hub.subscribe(null, old);
        assertThat(evicted.resumed()).isFalse();
        assertThat(drain(evicted)).isEmpty();
        EventHub.Subscription foreign = hub.subscribe(null, "someone-else-17");
        assertThat(foreign.resumed()).isFalse();
        assertThat(drain(foreign)).isEmpty();
    }

    @Test
    void dropAllEndsEverySubscription() throws InterruptedException {
        EventHub hub = new EventHub(16, 10);
        EventHub.Subscription s = hub.subscribe(null, null);
        hub.dropAll();
        assertThat(s.dropped()).isTrue();
        assertThat(s.next(Duration.ofSeconds(5))).isNull();
        assertThat(hub.subscriberCount()).isZero();
    }
}
