package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import java.util.List;

/**
 * Partials of one device waiting for a first full status, as the former {@code held-partials-store} kept
 * them; read once per meter to move them into its {@link MeterState}.
 */
public record HeldPartials(List<RawReading> partials) {
}
