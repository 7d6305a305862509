package io.wattstream.streams;

import io.wattstream.model.Reading;

/** An enriched reading with the threshold that applied to it; internal to the topology. */
record Measured(Reading reading, double thresholdW) {
}
