package io.wattstream.notifier;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A configuration problem is logged once, not on every transition that meets it. */
final class Warnings {

    private static final Logger LOG = LoggerFactory.getLogger(Warnings.class);
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    static void once(String message) {
        if (SEEN.size() < 10_000 && SEEN.add(message)) {
            LOG.warn(message);
        }
    }

    private Warnings() {
    }
}
