package io.wattstream.kit;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service opened, closed in reverse order of opening; a part that fails to close is logged
 * and the rest are still closed. Also the clean-up when start-up fails halfway.
 */
public final class Closer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Registers {@code part} and returns it. */
    public <T extends AutoCloseable> T add(T part) {
        synchronized (opened) {
            opened.push(part);
        }
        return part;
    }

    @Override
    public void close() {
        while (true) {
            AutoCloseable part;
            synchronized (opened) {
                part = opened.poll();
            }
            if (part == null) {
                return;
            }
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }
}
