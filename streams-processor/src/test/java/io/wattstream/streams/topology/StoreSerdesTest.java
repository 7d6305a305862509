package io.wattstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.streams.processors.MeterState;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state values an earlier version wrote still read. */
class StoreSerdesTest {

    @Test
    void aLatestReadingWrittenBeforeTheMeterStateReadsAsALegacyStateOfThatReading() {
        Reading reading = Reading.from(RawReading.builder().deviceId("m").power(100.0).voltage(230.0).current(0.5)
                .energy(544.587).at(Instant.parse("2026-11-20T09:00:10Z")).source(RawReading.Source.FLAT_POST)
                .build()).build();
        // A version-4 meter state is: version, no consumed and no returned counter (a false each), a present
        // reading (true), the reading, no held partials (int 0). The reading's own layout did not change in 4,
        // so version 3 of the former latest-reading store is: version 3, then the reading.
        byte[] state = StoreSerdes.METER_STATE.serializer().serialize("", new MeterState(null, null, reading, List.of()));
        assertThat(Arrays.copyOfRange(state, 0, 4)).containsExactly(4, 0, 0, 1);
        byte[] former = Arrays.copyOfRange(state, 3, state.length - 4);
        former[0] = 3;

        MeterState read = StoreSerdes.METER_STATE.deserializer().deserialize("", former);

        assertThat(read.legacy()).isTrue();
        assertThat(read.latest()).isEqualTo(reading);
        assertThat(read.consumed()).isNull();
        assertThat(read.held()).isEmpty();
    }
}
