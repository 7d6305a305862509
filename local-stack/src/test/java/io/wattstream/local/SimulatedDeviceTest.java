package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedDeviceTest {

    @Test
    void aChargerRunsSessionsWithRampPlateauPauseAndTaper() {
        SimulatedDevice d = new SimulatedDevice("c", SimulatedDevice.Profile.CHARGER, 1, 2, -1, Long.MAX_VALUE, Long.MAX_VALUE);
        List<Double> power = new ArrayList<>();
        for (int i = 0; i < 2 * SimulatedDevice.CYCLE; i++) {
            power.add(d.next().power());
        }
        // Tick n is power.get(n - 1); the phases start at these ticks of each cycle.
        assertThat(power.subList(0, (int) SimulatedDevice.RAMP - 1)).allMatch(p -> p < 10);
        assertThat(power.subList((int) SimulatedDevice.RAMP, (int) SimulatedDevice.PLATEAU - 1)).isSorted();
        assertThat(power.subList((int) SimulatedDevice.PLATEAU, (int) SimulatedDevice.PAUSE - 1).stream()
                .mapToDouble(Double::doubleValue).average().orElseThrow()).isBetween(3600.0, 3800.0);
        assertThat(power.subList((int) SimulatedDevice.PAUSE, (int) SimulatedDevice.RESUME - 1)).allMatch(p -> p < 10);
        assertThat(power.get((int) SimulatedDevice.TAPER + 10)).isBetween(1000.0, 3500.0);
        assertThat(power.get((int) SimulatedDevice.IDLE - 2)).isLessThan(400.0);
        assertThat(power.subList((int) SimulatedDevice.IDLE, (int) SimulatedDevice.CYCLE - 1)).allMatch(p -> p < 10);
        assertThat(power).anyMatch(p -> p > 4000);
    }

    @Test
    void energyCounterIntegratesPowerAndResetsOnce() {
        SimulatedDevice d = new SimulatedDevice("l", SimulatedDevice.Profile.LOAD, 2, 2, 10, Long.MAX_VALUE, Long.MAX_VALUE);
        double previous = -1;
        int resets = 0;
        for (int i = 0; i < 50; i++) {
            double e = d.next().energyWh();
            if (e < previous) {
                resets++;
            }
            previous = e;
        }
        assertThat(resets).isEqualTo(1);
    }

    @Test
    void quietDeviceStopsReportingForItsWindow() {
        SimulatedDevice d = new SimulatedDevice("q", SimulatedDevice.Profile.LOAD, 3, 2, -1, 5, 8);
        List<Boolean> reporting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            d.next();
            reporting.add(d.reporting());
        }
        assertThat(reporting).containsExactly(true, true, true, true, false, false, false, true, true, true);
    }
}
