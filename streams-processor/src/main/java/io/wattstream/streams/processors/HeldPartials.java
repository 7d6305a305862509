package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import java.util.List;

/** Partials of one device waiting for a first full status (value of {@link StoreNames#HELD_PARTIALS}). */
public record HeldPartials(List<RawReading> partials) {
}
