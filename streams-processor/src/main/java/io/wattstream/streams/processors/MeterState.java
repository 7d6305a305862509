package io.wattstream.streams.processors;

import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import java.util.List;

/**
 * Everything a meter's next reading is judged by, in one value (of
 * {@link io.wattstream.streams.topology.StoreNames#LATEST_READING}), so that each reading reads and writes
 * one entry: its newest reading, the energy counters' baselines and partials held until a first full status.
 *
 * @param consumed  null before the meter's first full reading, and in a value written before the counters
 *                  moved here (see {@link #legacy})
 * @param returned  null until the meter reports returned energy
 * @param latest    the newest enriched reading by event time: base of partials, the {@code /state} answer
 * @param held      partials that arrived before any full status (empty once one has)
 */
public record MeterState(Counter.State consumed, Counter.State returned, Reading latest, List<RawReading> held) {

    public MeterState {
        held = held == null ? List.of() : List.copyOf(held);
    }

    /** A value of the former latest-reading store (a reading alone); its counters are still in the old store. */
    public static MeterState legacy(Reading latest) {
        return new MeterState(null, null, latest, List.of());
    }

    public boolean legacy() {
        return consumed == null && latest != null;
    }

    /** The former meter-state store's value: counters only. */
    public static MeterState counters(Counter.State consumed, Counter.State returned) {
        return new MeterState(consumed, returned, null, List.of());
    }

    MeterState withHeld(List<RawReading> partials) {
        return new MeterState(consumed, returned, latest, partials);
    }
}
