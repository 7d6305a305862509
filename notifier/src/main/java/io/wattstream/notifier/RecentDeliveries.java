package io.wattstream.notifier;

import io.wattstream.model.NotifyDelivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** The newest outcomes in memory, newest first, for {@code /deliveries}; filled from the delivery log at start. */
final class RecentDeliveries {

    private final int capacity;
    private final ArrayDeque<NotifyDelivery> items;

    RecentDeliveries(int capacity) {
        this.capacity = capacity;
        this.items = new ArrayDeque<>(capacity);
    }

    synchronized void add(NotifyDelivery d) {
        if (items.size() == capacity) {
            items.pollFirst();
        }
        items.addLast(d);
    }

    synchronized List<NotifyDelivery> newest(int limit, Predicate<NotifyDelivery> filter) {
        List<NotifyDelivery> out = new ArrayList<>();
        for (Iterator<NotifyDelivery> it = items.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            NotifyDelivery d = it.next();
            if (filter.test(d)) {
                out.add(d);
            }
        }
        return out;
    }
}
