package io.wattstream.streams.processors;

/**
 * Per-meter energy state (value of {@link io.wattstream.streams.topology.StoreNames#METER_STATE}).
 *
 * @param returned  null until the meter reports returned energy
 */
public record MeterState(Counter.State consumed, Counter.State returned) {
}
