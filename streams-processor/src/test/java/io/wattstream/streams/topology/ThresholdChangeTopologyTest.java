package io.wattstream.streams.topology;

import static io.wattstream.streams.topology.TopologyFixture.T0;
import static io.wattstream.streams.topology.TopologyFixture.full;
import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.Alert;
import io.wattstream.model.Alert.Kind;
import io.wattstream.model.Alert.State;
import io.wattstream.model.Device;
import io.wattstream.streams.processors.AlertProcessor;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry change re-judges the device's raised power alert: at once (the wall-clock registry check),
 * or at the device's next reading when that comes first. Default hysteresis 5 %.
 */
class ThresholdChangeTopologyTest {

    private static final String DEV = "shellypro1pm-a8032ab1c2d3";

    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private void threshold(Double w) {
        t.devices.pipeInput(DEV, new Device(DEV, "Garage charger", "Home", w));
    }

    /** Raised on 2000 W by a 2500 W reading at T0; returns the RAISED transition. */
    private Alert raisedOn2000() {
        threshold(2000.0);
        t.send(full(DEV, 2500, 1, at(0)));
        Alert raised = t.alerts.readValue();
        assertThat(raised.state()).isEqualTo(State.RAISED);
        assertThat(raised.thresholdW()).isEqualTo(2000.0);
        assertThat(t.alerts.isEmpty()).isTrue();
        return raised;
    }

    private void registryCheck() {
        t.driver.advanceWallClockTime(AlertProcessor.REGISTRY_CHECK_EVERY);
    }

    @Test
    void thresholdRaisedAboveThePowerClearsTheAlertWithoutWaitingForAReading() {
        Alert raised = raisedOn2000();

        threshold(7400.0);
        registryCheck();

        Alert cleared = t.alerts.readValue();
        assertThat(cleared.kind()).isEqualTo(Kind.POWER_OVER_THRESHOLD);
        assertThat(cleared.state()).isEqualTo(State.CLEARED);
        assertThat(cleared.thresholdW()).isEqualTo(7400.0);
        assertThat(cleared.powerW()).isEqualTo(2500.0);
        assertThat(cleared.peakW()).isEqualTo(2500.0);
        assertThat(cleared.startedAt()).isEqualTo(raised.startedAt());
        assertThat(cleared.endedAt()).isEqualTo(T0.plus(AlertProcessor.REGISTRY_CHECK_EVERY));
        assertThat(cleared.durationS()).isEqualTo((double) AlertProcessor.REGISTRY_CHECK_EVERY.toSeconds());

        registryCheck();
        t.send(full(DEV, 2500, 2, at(10)));
        assertThat(t.alerts.isEmpty()).as("cleared once; 2500 W is under 7400 W").isTrue();
    }

    @Test
    void thresholdStillUnderThePowerUpdatesTheSameAlertWithTheNewThreshold() {
        Alert raised = raisedOn2000();

        threshold(2200.0);
        registryCheck();

        Alert updated = t.alerts.readValue();
        assertThat(updated.state()).isEqualTo(State.RAISED);
        assertThat(updated.thresholdW()).isEqualTo(2200.0);
        assertThat(updated.powerW()).isEqualTo(2500.0);
        assertThat(updated.startedAt()).as("the same alert (row)").isEqualTo(raised.startedAt());
        assertThat(updated.endedAt()).isNull();

        registryCheck();
        assertThat(t.alerts.isEmpty()).as("nothing more while the threshold stays").isTrue();

        // The new level with its own hysteresis: 2200 W clears below 2090 W.
        t.send(full(DEV, 2100, 2, at(10)));
        assertThat(t.alerts.isEmpty()).isTrue();
        t.send(full(DEV, 2080, 3, at(20)));
        Alert cleared = t.alerts.readValue();
        assertThat(cleared.state()).isEqualTo(State.CLEARED);
        assertThat(cleared.thresholdW()).isEqualTo(2200.0);
        assertThat(cleared.peakW()).isEqualTo(2500.0);
        assertThat(cleared.startedAt()).isEqualTo(raised.startedAt());
        assertThat(cleared.endedAt()).isEqualTo(at(20));
    }

    @Test
    void hysteresisKeepsTheAlertRaisedWhenThePowerIsJustUnderTheNewThreshold() {
        raisedOn2000();

        threshold(2600.0);     // clear level 2470 W: 2500 W stays raised, on 2600 W
        registryCheck();

        assertThat(t.alerts.readValuesToList()).extracting(Alert::state, Alert::thresholdW, Alert::powerW)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(State.RAISED, 2600.0, 2500.0));
    }

    @Test
    void nextReadingBeforeTheRegistryCheckReJudgesTheAlert() {
        Alert raised = raisedOn2000();

        threshold(2200.0);
        t.send(full(DEV, 2400, 2, at(5)));
        threshold(7400.0);
        t.send(full(DEV, 2450, 3, at(10)));
        registryCheck();

        List<Alert> out = t.alerts.readValuesToList();
        assertThat(out).extracting(Alert::state, Alert::thresholdW, Alert::powerW, Alert::endedAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple(State.RAISED, 2200.0, 2400.0, null),
                org.assertj.core.groups.Tuple.tuple(State.CLEARED, 7400.0, 2450.0, at(10)));
        assertThat(out).extracting(Alert::startedAt).containsOnly(raised.startedAt());
        assertThat(out.get(1).peakW()).isEqualTo(2500.0);
    }

    @Test
    void removedRegistryEntryReJudgesByTheDefaultThreshold() {
        raisedOn2000();

        t.devices.pipeInput(DEV, null);
        registryCheck();

        Alert cleared = t.alerts.readValue();
        assertThat(cleared.state()).isEqualTo(State.CLEARED);
        assertThat(cleared.thresholdW()).isEqualTo(TopologySettings.DEFAULT_THRESHOLD_W);
    }

    @Test
    void loweredThresholdRaisesAtTheNextReadingOverIt() {
        t.send(full(DEV, 2500, 1, at(0)));        // default 3500 W: nothing
        threshold(2000.0);
        registryCheck();
        assertThat(t.alerts.isEmpty()).as("no alert without a reading over the new level").isTrue();

        t.send(full(DEV, 2500, 2, at(10)));
        Alert raised = t.alerts.readValue();
        assertThat(raised.state()).isEqualTo(State.RAISED);
        assertThat(raised.thresholdW()).isEqualTo(2000.0);
        assertThat(raised.startedAt()).isEqualTo(at(10));
    }

    @Test
    void replayJudgesByTheRegistryAtEachReadingWithoutTheWallClockCheck() {
        t.close();
        Properties p = new Properties();
        p.setProperty(StreamsTopology.REPLAY, "true");
        t = new TopologyFixture(p);
        raisedOn2000();

        threshold(2200.0);
        registryCheck();
        assertThat(t.alerts.isEmpty()).isTrue();

        t.send(full(DEV, 2400, 2, at(10)));
        assertThat(t.alerts.readValue()).satisfies(a -> {
            assertThat(a.state()).isEqualTo(State.RAISED);
            assertThat(a.thresholdW()).isEqualTo(2200.0);
        });
    }
}
