package io.wattstream.gateway.ws;

import java.time.Duration;

/**
 * The outbound WebSocket's bounds.
 *
 * @param pingInterval       how often the gateway pings an open connection
 * @param idleTimeout        a connection with no frame and no pong for this long is closed
 * @param maxFrameBytes      the largest message a device may send (one frame, or its fragments together)
 * @param maxFramesPerSecond frames a connection may send per second, sustained (a second's worth may come at once)
 * @param statusPolls        devices the gateway asks for {@code Switch.GetStatus} itself, and how often
 */
public record ShellyWsSettings(Duration pingInterval, Duration idleTimeout, int maxFrameBytes, int maxFramesPerSecond,
                               StatusPolls statusPolls) {

    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_FRAMES_PER_SECOND = 20;

    public ShellyWsSettings {
        if (pingInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("the WebSocket ping interval must be at least 100ms, got " + pingInterval);
        }
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("the WebSocket idle timeout (" + idleTimeout
                    + ") must be longer than the ping interval (" + pingInterval + "), or every connection would close");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("the largest WebSocket frame must be at least 1024 bytes, got " + maxFrameBytes);
        }
        if (maxFramesPerSecond < 1) {
            throw new IllegalArgumentException("WebSocket frames per second must be at least 1, got " + maxFramesPerSecond);
        }
    }

    public static ShellyWsSettings defaults() {
        return new ShellyWsSettings(DEFAULT_PING_INTERVAL, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_FRAME_BYTES,
                DEFAULT_MAX_FRAMES_PER_SECOND, StatusPolls.none());
    }
}
