package io.wattstream.model;

/**
 * Device registry entry on the compacted {@code shelly.devices} topic.
 *
 * @param thresholdW per-device power alert threshold, W; null means the global default
 */
public record Device(String deviceId, String name, String site, Double thresholdW) {
}
