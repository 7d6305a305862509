package io.wattstream.gateway.ws;

/**
 * The frames one connection may send: a token bucket that holds one second's worth and refills
 * continuously, so a device may send a burst (a full status followed by a few partials) but not
 * sustain more than the limit. Not thread-safe: one connection's frames arrive on one thread.
 */
final class FrameRate {

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private double tokens;
    private long last;

    FrameRate(int perSecond, long nowNanos) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("frames per second must be at least 1, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.last = nowNanos;
    }

    /** Takes one frame's token; false when the connection is over its rate. */
    boolean tryAcquire(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - last);
        last = nowNanos;
        tokens = Math.min(perSecond, tokens + (double) elapsed * perSecond / SECOND);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    int perSecond() {
        return perSecond;
    }
}
