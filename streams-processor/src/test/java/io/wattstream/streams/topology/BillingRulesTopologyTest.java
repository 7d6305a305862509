package io.wattstream.streams.topology;

import static io.wattstream.streams.topology.TopologyFixture.T0;
import static io.wattstream.streams.topology.TopologyFixture.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.wattstream.model.Alert;
import io.wattstream.model.Alert.Kind;
import io.wattstream.model.Alert.State;
import io.wattstream.model.Device;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.processors.Counter;
import io.wattstream.streams.processors.HeldPartials;
import io.wattstream.streams.processors.MeterState;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules behind the billed figures, identities, device flags and channels, on the real topology. */
class BillingRulesTopologyTest {

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

    private static Instant at(double seconds) {
        return T0.plusNanos((long) (seconds * 1e9));
    }

    /** A reading with the device's own time {@code s} seconds after T0, received at the same time. */
    private static RawReading reading(String device, double power, double energy, double s) {
        return base(device, power, energy).timestamp(at(s)).receivedAt(at(s)).deviceTime(true)
                .source(RawReading.Source.SWITCH_STATUS).build();
    }

    private static RawReading reading(String device, double power, double energy, double s,
                                      UnaryOperator<RawReading.Builder> more) {
        return more.apply(reading(device, power, energy, s).toBuilder()).build();
    }

    private void send(RawReading... rs) {
        for (RawReading r : rs) {
            t.send(r);
        }
    }

    private static TopologyFixture with(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return new TopologyFixture(p);
    }

    /** Pushes stream time far enough that every window before {@code s} seconds has closed. */
    private void closeWindowsBefore(double s) {
        t.send(reading("clock", 0, 0, s + 3600 + 301));
    }

    private final List<WindowStats> closed1m = new java.util.ArrayList<>();

    /** The closed 1-minute windows of one device so far (the output topic is read once, kept here). */
    private List<WindowStats> minutes(String device) {
        closed1m.addAll(t.win1m.readValuesToList());
        return closed1m.stream().filter(w -> w.deviceId().equals(device)).toList();
    }

    // --- energy counter ----------------------------------------------------------------------------

    @Test
    void roundingDipAfterARebootIsNoiseAndBooksNothing() {
        send(reading(DEV, 100, 544.587493, 0), reading(DEV, 100, 544.587, 10),
                reading("big", 3600, 150_000_000.0, 0), reading("big", 3600, 149_999_999.9995, 10));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 0.0, 0.0, 0.0);
        assertThat(out).extracting(Reading::counterReset).containsOnly(false);
        assertThat(out).extracting(Reading::implausibleJump).containsOnly(false);
        assertThat(t.alerts.readValuesToList()).noneMatch(a -> a.kind() == Kind.COUNTER_RESET);
    }

    @Test
    void catchUpAfterADipCountsOnlyTheEnergyAboveTheHighestValue() {
        send(reading(DEV, 100, 544.587493, 0), reading(DEV, 100, 544.587, 10), reading(DEV, 100, 544.6, 20),
                reading(DEV, 100, 544.9, 30));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 0.0, 0.012507, 0.3);
        assertThat(out.stream().mapToDouble(Reading::energyDeltaWh).sum()).isCloseTo(544.9 - 544.587493, within(1e-9));
        closeWindowsBefore(60);
        assertThat(minutes(DEV)).singleElement().satisfies(w -> assertThat(w.energyWh()).isEqualTo(0.312507));
    }

    @Test
    void aMeterLastSeenBeforeItsStateWasOneValueGoesOnFromItsFormerCountersAndHeldPartials() {
        // As an earlier version left it: the latest reading, the counters (baseline above it after a
        // rounding dip) and another meter's held partial, each in its own store.
        RawReading before = reading(DEV, 100, 544.587, 10);
        t.driver.<String, MeterState>getKeyValueStore(StoreNames.LATEST_READING)
                .put(DEV, MeterState.legacy(Reading.from(before).build()));
        t.driver.<String, MeterState>getKeyValueStore(StoreNames.METER_STATE)
                .put(DEV, MeterState.counters(Counter.State.first(544.587493, at(10)), null));
        RawReading partial = RawReading.builder().deviceId("waiting").power(120.0).timestamp(at(15)).receivedAt(at(15))
                .deviceTime(true).partial(true).source(RawReading.Source.SWITCH_STATUS).build();
        t.driver.<String, HeldPartials>getKeyValueStore(StoreNames.HELD_PARTIALS)
                .put("waiting", new HeldPartials(List.of(partial)));

        send(reading(DEV, 100, 544.6, 20), reading("waiting", 200, 7, 20));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::deviceId, Reading::energyDeltaWh, Reading::power).containsExactly(
                tuple(DEV, 0.012507, 100.0), tuple("waiting", 0.0, 120.0), tuple("waiting", 0.0, 200.0));
        assertThat(out.get(0).energyFromPowerWh()).as("integrated since the former latest reading").isPositive();
        assertThat(t.driver.getKeyValueStore(StoreNames.METER_STATE).get(DEV)).isNull();
        assertThat(t.driver.getKeyValueStore(StoreNames.HELD_PARTIALS).get("waiting")).isNull();
    }

    @Test
    void aRealResetCountsFromZeroAndIsACounterResetEvent() {
        send(reading(DEV, 100, 5000, 0), reading(DEV, 100, 5010, 10), reading(DEV, 100, 3, 20), reading(DEV, 100, 9, 30));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 10.0, 3.0, 6.0);
        assertThat(out).extracting(Reading::counterReset).containsExactly(false, false, true, false);
        assertThat(t.alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.COUNTER_RESET);
            assertThat(a.state()).isEqualTo(State.EVENT);
            assertThat(a.startedAt()).isEqualTo(at(20));
            assertThat(a.endedAt()).isEqualTo(at(20));
            assertThat(a.detail()).isEqualTo("energy counter went from 5010.0 Wh to 3.0 Wh");
        });
        assertThat(t.metric("counter-resets-total")).isEqualTo(1);
    }

    @Test
    void anImpossibleJumpIsFlaggedAndKeptOutOfTheSums() {
        send(reading(DEV, 3000, 1000, 0),
                reading(DEV, 3000, 151_000, 10),     // 150 kWh in 10 s: no meter delivers that
                reading(DEV, 3000, 1008.3, 20));     // the counter goes on from where it was

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::energy).containsExactly(1000.0, 151_000.0, 1008.3);
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 0.0, 8.3);
        assertThat(out).extracting(Reading::implausibleJump).containsExactly(false, true, false);
        assertThat(out).extracting(Reading::counterReset).containsOnly(false);
        assertThat(t.metric("implausible-jumps-total")).isEqualTo(1);
        closeWindowsBefore(60);
        assertThat(minutes(DEV)).singleElement().satisfies(w -> assertThat(w.energyWh()).isEqualTo(8.3));
    }

    @Test
    void aJumpConfirmedByTheNextReadingCountsFromItsNewLevel() {
        // A replaced meter: the new one's counter starts far above the old one's.
        send(reading(DEV, 3000, 1000, 0), reading(DEV, 3000, 90_000, 10), reading(DEV, 3000, 90_008.3, 20),
                reading(DEV, 3000, 90_016.6, 30));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 0.0, 8.3, 8.3);
        assertThat(out).extracting(Reading::implausibleJump).containsExactly(false, true, false, false);
    }

    @Test
    void theRegistrysMaximumPowerDecidesWhatIsImpossible() {
        t.devices.pipeInput(DEV, new Device(DEV, "Plug", "Home", null, 1000.0));
        // 20 Wh in 10 s is 7.2 kW: possible for the default maximum, not for a 1 kW plug.
        send(reading(DEV, 900, 100, 0), reading(DEV, 900, 120, 10), reading("other", 900, 100, 0),
                reading("other", 900, 120, 10));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::deviceId, Reading::implausibleJump, Reading::energyDeltaWh).containsExactly(
                tuple(DEV, false, 0.0), tuple(DEV, true, 0.0), tuple("other", false, 0.0), tuple("other", false, 20.0));
    }

    @Test
    void theDipToleranceAndDefaultMaximumPowerAreConfigurable() {
        t.close();
        Properties p = new Properties();
        p.setProperty(TopologySettings.DIP_TOLERANCE_WH, "0.0001");
        p.setProperty(TopologySettings.DIP_TOLERANCE_SHARE, "0");
        p.setProperty(TopologySettings.MAX_POWER_W, "500");
        t = new TopologyFixture(p);
        // Beyond a 0.0001 Wh tolerance the dip is a restart, and 544.587 Wh since then is impossible.
        send(reading(DEV, 100, 544.587493, 0), reading(DEV, 100, 544.587, 10),
                reading("plug", 100, 100, 0), reading("plug", 100, 110, 10));   // 3.6 kW over a 500 W maximum

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::implausibleJump).containsExactly(false, true, false, true);
        assertThat(out).extracting(Reading::energyDeltaWh).containsOnly(0.0);
    }

    // --- returned energy and reconciliation --------------------------------------------------------

    @Test
    void returnedEnergyHasItsOwnDeltasAndIsAggregatedBesideConsumedEnergy() {
        send(reading(DEV, -1800, 500, 0, b -> b.current(7.8).energyReturned(10.0)),
                reading(DEV, -1800, 500, 10, b -> b.current(7.8).energyReturned(15.0)),
                reading(DEV, -1800, 500, 20, b -> b.current(7.8).energyReturned(14.9995)),   // rounding dip
                reading(DEV, -1800, 500.5, 30, b -> b.current(7.8).energyReturned(20.0)));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::energyReturned).containsExactly(10.0, 15.0, 14.9995, 20.0);
        assertThat(out).extracting(Reading::energyReturnedDeltaWh).containsExactly(0.0, 5.0, 0.0, 5.0);
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 0.0, 0.0, 0.5);
        closeWindowsBefore(60);
        assertThat(minutes(DEV)).singleElement().satisfies(w -> {
            assertThat(w.energyWh()).isEqualTo(0.5);
            assertThat(w.energyReturnedWh()).isEqualTo(10.0);
        });
    }

    @Test
    void eachWindowCarriesThePowerIntegratedEnergyAndFlagsADisagreementWithTheCounter() {
        // 3600 W for 10 s is 10 Wh: "good" counts exactly that, "faulty" three times as much.
        for (int i = 0; i <= 5; i++) {
            send(reading("good", 3600, 1000 + 10 * i, i * 10), reading("faulty", 3600, 1000 + 30 * i, i * 10));
        }
        closeWindowsBefore(60);

        List<WindowStats> good = minutes("good");
        List<WindowStats> faulty = minutes("faulty");
        assertThat(good).singleElement().satisfies(w -> {
            assertThat(w.energyWh()).isEqualTo(50.0);
            assertThat(w.energyFromPowerWh()).isEqualTo(50.0);
            assertThat(w.energyMismatch()).isFalse();
        });
        assertThat(faulty).singleElement().satisfies(w -> {
            assertThat(w.energyWh()).isEqualTo(150.0);
            assertThat(w.energyFromPowerWh()).isEqualTo(50.0);
            assertThat(w.energyMismatch()).isTrue();
        });
        assertThat(t.win1h.readValuesToList()).filteredOn(w -> w.deviceId().equals("faulty"))
                .singleElement().satisfies(w -> assertThat(w.energyMismatch()).isTrue());
    }

    @Test
    void theReconciliationShareIsConfigurable() {
        t.close();
        t = with(TopologySettings.RECONCILE_SHARE, "0.9");
        for (int i = 0; i <= 5; i++) {
            send(reading("faulty", 3600, 1000 + 30 * i, i * 10));
        }
        closeWindowsBefore(60);
        assertThat(minutes("faulty")).singleElement().satisfies(w -> assertThat(w.energyMismatch()).isFalse());
    }

    // --- identity ----------------------------------------------------------------------------------

    @Test
    void anExactRetryIsStoredOnceAndADistinctReadingAtTheSameSecondGetsTheNextMicrosecond() {
        RawReading first = reading(DEV, 3598.2, 152401.113, 0);
        RawReading second = reading(DEV, 3610.0, 152401.2, 0, b -> b.receivedAt(at(0.4)));
        send(first, second, first.toBuilder().receivedAt(at(0.7)).build(),   // retry of the first
                second.toBuilder().receivedAt(at(0.9)).build());              // retry of the second

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::timestamp).containsExactly(T0, T0.plusNanos(1_000));
        assertThat(out).extracting(Reading::power).containsExactly(3598.2, 3610.0);
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 0.087);
        assertThat(t.metric("duplicates-dropped-total")).isEqualTo(2);
        assertThat(t.metric("same-time-readings-total")).isEqualTo(1);
    }

    @Test
    void aReplayOfTheSameRawRecordsGivesTheSameOutputs() {
        RawReading[] input = {
                reading(DEV, 3000, 1000, 0), reading(DEV, 3100, 1008, 0), reading(DEV, 3100, 1008, 0),
                reading(DEV, 3700, 1001, 10, b -> b.errors("overtemp").temperatureC(85.0)),
                reading(DEV, 3000, 2, 20), reading(DEV, 3000, 90_000, 30), reading(DEV, 3000, 10, 40),
                reading(DEV + ":1", 50, 7, 5), reading(DEV, 3000, 12, 70), reading(DEV, 3000, 13, 3700)};
        send(input);
        Outputs first = Outputs.of(t);
        t.close();
        t = new TopologyFixture();
        send(input);
        Outputs second = Outputs.of(t);

        assertThat(first.readings()).hasSize(9);
        assertThat(first.alerts()).isNotEmpty();
        assertThat(first.windows()).isNotEmpty();
        assertThat(second).isEqualTo(first);
    }

    record Outputs(List<Reading> readings, List<Alert> alerts, List<WindowStats> windows) {
        static Outputs of(TopologyFixture t) {
            List<WindowStats> w = new java.util.ArrayList<>(t.win1m.readValuesToList());
            w.addAll(t.win1h.readValuesToList());
            return new Outputs(t.readings.readValuesToList(), t.alerts.readValuesToList(), w);
        }
    }

    // --- late readings -----------------------------------------------------------------------------

    @Test
    void aReadingLaterThanItsWindowsGraceIsMarkedCountedAndStillPublished() {
        send(reading(DEV, 100, 1000, 10), reading(DEV, 100, 1001, 95),
                reading(DEV, 900, 1000.7, 55, b -> b.receivedAt(at(96))));   // its minute closed at 09:01:30

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::late1m).containsExactly(false, false, true);
        assertThat(out).extracting(Reading::late1h).containsOnly(false);
        assertThat(t.metric("late-readings-1m-total")).isEqualTo(1);
        assertThat(t.metric("late-readings-1h-total")).isZero();
        closeWindowsBefore(120);
        assertThat(minutes(DEV)).extracting(WindowStats::windowStart, WindowStats::count)
                .contains(tuple(at(0), 1L));
        assertThat(t.win1h.readValuesToList()).filteredOn(w -> w.deviceId().equals(DEV))
                .singleElement().satisfies(w -> assertThat(w.count()).as("on time for its hour").isEqualTo(3));
    }

    // --- device flags ------------------------------------------------------------------------------

    @Test
    void eachDeviceErrorRaisesItsOwnAlertThatClearsWhenTheDeviceNoLongerReportsIt() {
        send(reading(DEV, 100, 1, 0),
                reading(DEV, 100, 1, 10, b -> b.errors("overtemp")),
                reading(DEV, 100, 1, 20, b -> b.errors("overpower,overtemp")),
                reading(DEV, 100, 1, 30, b -> b.errors("overpower,overtemp")),
                reading(DEV, 100, 1, 40),
                reading(DEV, 100, 1, 50));

        List<Alert> out = t.alerts.readValuesToList();
        assertThat(out).extracting(Alert::kind).containsOnly(Kind.DEVICE_ERROR);
        assertThat(out).extracting(Alert::state, Alert::detail, Alert::startedAt, Alert::endedAt).containsExactly(
                tuple(State.RAISED, "overtemp", at(10), null),
                tuple(State.RAISED, "overpower", at(20), null),
                tuple(State.CLEARED, "overpower", at(20), at(40)),
                tuple(State.CLEARED, "overtemp", at(10), at(40)));
        assertThat(out.get(3).durationS()).isEqualTo(30.0);
    }

    @Test
    void aPartialKeepsTheDeviceErrorsUntilItReportsThemGone() {
        send(reading(DEV, 100, 1, 0, b -> b.errors("overvoltage")));
        t.send(RawReading.builder().deviceId(DEV).power(120.0).timestamp(at(10)).receivedAt(at(10)).deviceTime(true)
                .source(RawReading.Source.NOTIFY_STATUS).partial(true).build());
        t.send(RawReading.builder().deviceId(DEV).errors("").timestamp(at(20)).receivedAt(at(20)).deviceTime(true)
                .source(RawReading.Source.NOTIFY_STATUS).partial(true).build());

        assertThat(t.readings.readValuesToList()).extracting(Reading::errors).containsExactly("overvoltage", "overvoltage", null);
        assertThat(t.alerts.readValuesToList()).extracting(Alert::state, Alert::endedAt)
                .containsExactly(tuple(State.RAISED, null), tuple(State.CLEARED, at(20)));
    }

    @Test
    void aTemperatureOverTheLimitRaisesOverTemperatureUntilItIsFiveDegreesBelow() {
        t.close();
        t = with(TopologySettings.TEMPERATURE_LIMIT_C, "70");
        double[] temps = {60, 71, 68, 66, 64.5, 72};
        for (int i = 0; i < temps.length; i++) {
            double c = temps[i];
            send(reading(DEV, 100, 1, i * 10, b -> b.temperatureC(c)));
        }
        List<Alert> out = t.alerts.readValuesToList();
        assertThat(out).extracting(Alert::kind).containsOnly(Kind.OVER_TEMPERATURE);
        assertThat(out).extracting(Alert::state, Alert::startedAt, Alert::endedAt).containsExactly(
                tuple(State.RAISED, at(10), null), tuple(State.CLEARED, at(10), at(40)), tuple(State.RAISED, at(50), null));
        assertThat(out).extracting(Alert::detail).containsOnly("over 70.0 C");
    }

    @Test
    void theDefaultTemperatureLimitIsEightyDegrees() {
        send(reading(DEV, 100, 1, 0, b -> b.temperatureC(79.9)), reading(DEV, 100, 1, 10, b -> b.temperatureC(80.1)));
        assertThat(t.alerts.readValuesToList()).extracting(Alert::kind, Alert::startedAt)
                .containsExactly(tuple(Kind.OVER_TEMPERATURE, at(10)));
    }

    // --- channels ----------------------------------------------------------------------------------

    @Test
    void eachChannelOfAMultiChannelDeviceIsItsOwnMeter() {
        String ch1 = DEV + ":1";
        t.devices.pipeInput(ch1, new Device(ch1, "Bay 2", "Depot", 1000.0));
        send(reading(DEV, 2000, 100, 0), reading(ch1, 1200, 5000, 0),
                reading(DEV, 2000, 105, 10), reading(ch1, 1200, 5003, 10),
                reading(ch1, 1200, 2, 20));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::deviceId, Reading::energyDeltaWh, Reading::counterReset).containsExactly(
                tuple(DEV, 0.0, false), tuple(ch1, 0.0, false), tuple(DEV, 5.0, false), tuple(ch1, 3.0, false),
                tuple(ch1, 2.0, true));
        assertThat(out).filteredOn(r -> r.deviceId().equals(ch1)).extracting(Reading::deviceName).containsOnly("Bay 2");
        assertThat(t.alerts.readValuesToList()).extracting(Alert::deviceId, Alert::kind).containsExactly(
                tuple(ch1, Kind.POWER_OVER_THRESHOLD), tuple(ch1, Kind.COUNTER_RESET));
        closeWindowsBefore(60);
        assertThat(minutes(DEV)).singleElement().satisfies(w -> assertThat(w.energyWh()).isEqualTo(5.0));
        assertThat(minutes(ch1)).singleElement().satisfies(w -> assertThat(w.energyWh()).isEqualTo(5.0));
    }
}
