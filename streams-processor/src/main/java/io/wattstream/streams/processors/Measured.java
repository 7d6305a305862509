package io.wattstream.streams.processors;

import io.wattstream.model.Reading;

/**
 * An enriched reading with the threshold that applied to it; internal to the topology.
 *
 * @param newest       whether it is the device's newest reading by event time (false for a late one)
 * @param resetDetail  set when a counter was reset at this reading: which one, from what to what
 */
public record Measured(Reading reading, double thresholdW, boolean newest, String resetDetail) {

    public Measured withReading(Reading r) {
        return new Measured(r, thresholdW, newest, resetDetail);
    }
}
