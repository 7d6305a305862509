package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;

/**
 * A complete reading on its way to the energy rules, with its meter's state as the overlay read it, so
 * that the state is read once per reading; internal to the topology.
 *
 * @param state  the meter's state (null: none yet), valid only when {@code known}; a reading forwarded
 *               after the overlay changed the state (released partials) is not known and reads the store
 */
public record Overlaid(RawReading raw, MeterState state, boolean known) {

    static Overlaid of(RawReading raw, MeterState state) {
        return new Overlaid(raw, state, true);
    }

    static Overlaid unknown(RawReading raw) {
        return new Overlaid(raw, null, false);
    }
}
