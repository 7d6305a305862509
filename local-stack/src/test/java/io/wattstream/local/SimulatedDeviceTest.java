package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedDeviceTest {

    @Test
    void chargerRampsToAboutThreePointSevenKilowattsAndSometimesSpikes() {
        SimulatedDevice d = new SimulatedDevice("c", SimulatedDevice.Profile.CHARGER, 1, 2, -1, Long.MAX_VALUE, Long.MAX_VALUE);
        List<Double> power = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            power.add(d.next().power());
        }
        assertThat(power.subList(0, 19)).allMatch(p -> p < 10);
        assertThat(power.subList(60, 340).stream().mapToDouble(Double::doubleValue).average().orElseThrow())
                .isBetween(3600.0, 3800.0);
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
