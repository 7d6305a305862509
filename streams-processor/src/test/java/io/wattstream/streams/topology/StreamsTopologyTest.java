package io.wattstream.streams.topology;

import static io.wattstream.streams.topology.TopologyFixture.T0;
import static io.wattstream.streams.topology.TopologyFixture.full;
import static io.wattstream.streams.topology.TopologyFixture.withDeviceTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wattstream.model.Alert;
import io.wattstream.model.Alert.Kind;
import io.wattstream.model.Alert.State;
import io.wattstream.model.DeadLetter;
import io.wattstream.model.Device;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.wattstream.streams.app.StreamsProperties;

class StreamsTopologyTest {

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

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    // --- bad records -------------------------------------------------------------------------------

    @Test
    void poisonRecordGoesToDlqWithReasonAndOriginAndProcessingContinues() {
        byte[] garbage = "{\"device_id\": \"x\", \"power\": ".getBytes(StandardCharsets.UTF_8);
        t.sendBytes(DEV, garbage, at(0));
        t.send(full(DEV, 100, 1000, at(1)));

        List<TestRecord<String, byte[]>> dead = t.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        TestRecord<String, byte[]> d = dead.get(0);
        assertThat(d.value()).isEqualTo(garbage);
        assertThat(d.key()).isEqualTo(DEV);
        assertThat(header(d.headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.UNREADABLE);
        assertThat(header(d.headers(), DeadLetter.DETAIL)).contains("RawReading");
        assertThat(header(d.headers(), DeadLetter.ORIGIN_TOPIC)).isEqualTo(Topics.RAW.name());
        assertThat(header(d.headers(), DeadLetter.ORIGIN_PARTITION)).isEqualTo("0");
        assertThat(header(d.headers(), DeadLetter.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(t.readings.readValuesToList()).singleElement()
                .satisfies(r -> assertThat(r.power()).isEqualTo(100));
        assertThat(t.metric("dead-lettered-total")).isEqualTo(1);
    }

    @Test
    void invalidReadingIsDeadLetteredWithTheBrokenRule() {
        RawReading tooMuch = full(DEV, 250_000, 1000, at(0));
        t.send(tooMuch);
        t.sendBytes(DEV, null, at(1));
        t.send(full("other-device", 10, 5, at(2)).overlayOn(full("other-device", 10, 5, at(2))));

        List<TestRecord<String, byte[]>> dead = t.dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(header(dead.get(0).headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.INVALID);
        assertThat(header(dead.get(0).headers(), DeadLetter.DETAIL)).contains("power").contains("physical bounds");
        assertThat(header(dead.get(0).headers(), DeadLetter.ORIGIN_OFFSET)).isEqualTo("0");
        assertThat(header(dead.get(1).headers(), DeadLetter.REASON)).isEqualTo(DeadLetter.UNREADABLE);
        assertThat(header(dead.get(1).headers(), DeadLetter.ORIGIN_OFFSET)).isEqualTo("1");
        assertThat(t.readings.readValuesToList()).extracting(Reading::deviceId).containsExactly("other-device");
    }

    @Test
    void recordKeyThatDoesNotMatchTheDeviceIsDeadLettered() {
        t.sendBytes("someone-else", TopologyFixture.RAW_SERDE.toBytes(full(DEV, 10, 5, at(0))), at(0));

        assertThat(t.dlq.readRecordsToList()).singleElement()
                .satisfies(d -> assertThat(header(d.headers(), DeadLetter.DETAIL)).contains("does not match"));
        assertThat(t.readings.isEmpty()).isTrue();
    }

    // --- partial status ----------------------------------------------------------------------------

    private static RawReading partial(String device, Double power, Double current, Instant at) {
        return RawReading.builder().deviceId(device).power(power).current(current).at(at)
                .source(RawReading.Source.NOTIFY_STATUS).partial(true).build();
    }

    @Test
    void partialIsOverlaidOnTheLastFullStatus() {
        t.send(full(DEV, 3590, 152341, at(0)));
        t.send(partial(DEV, 3604.9, 15.69, at(1)));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).hasSize(2);
        Reading merged = out.get(1);
        assertThat(merged.power()).isEqualTo(3604.9);
        assertThat(merged.current()).isEqualTo(15.69);
        assertThat(merged.voltage()).isEqualTo(230.0);
        assertThat(merged.energy()).isEqualTo(152341);
        assertThat(merged.freq()).isEqualTo(50.0);
        assertThat(merged.timestamp()).isEqualTo(at(1));
        assertThat(merged.source()).isEqualTo(RawReading.Source.NOTIFY_STATUS);
    }

    @Test
    void partialWithoutBaseIsHeldUntilAFullStatusArrives() {
        t.send(partial(DEV, 3604.9, 15.69, at(0)));
        t.send(partial(DEV, 3610.0, null, at(1)));
        assertThat(t.readings.isEmpty()).isTrue();

        t.send(full(DEV, 3590, 152341, at(2)));
        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::timestamp).containsExactly(at(0), at(1), at(2));
        assertThat(out.get(0).power()).isEqualTo(3604.9);
        assertThat(out.get(0).voltage()).isEqualTo(230.0);
        assertThat(out.get(1).power()).isEqualTo(3610.0);
        assertThat(out.get(1).current()).isEqualTo(3590 / 230.0);
        assertThat(out).allSatisfy(r -> assertThat(r.energy()).isEqualTo(152341));

        // Released only once.
        t.send(full(DEV, 3590, 152342, at(3)));
        assertThat(t.readings.readValuesToList()).extracting(Reading::timestamp).containsExactly(at(3));
    }

    // --- event time --------------------------------------------------------------------------------

    @Test
    void deviceTimeIsTheEventTimeWhenPlausible() {
        Instant device = at(-20);
        t.send(withDeviceTime(DEV, 100, 1, device, at(0)));

        TestRecord<String, Reading> r = t.readings.readRecord();
        assertThat(r.value().timestamp()).isEqualTo(device);
        assertThat(r.value().receivedAt()).isEqualTo(at(0));
        assertThat(r.timestamp()).isEqualTo(device.toEpochMilli());
    }

    @Test
    void deviceTimeMoreThanFiveMinutesAheadFallsBackToReceivedAt() {
        t.send(withDeviceTime(DEV, 100, 1, at(0).plus(Duration.ofMinutes(5)), at(0)));
        t.send(withDeviceTime(DEV, 100, 2, at(10).plus(Duration.ofMinutes(5)).plusMillis(1), at(10)));

        List<TestRecord<String, Reading>> out = t.readings.readRecordsToList();
        assertThat(out.get(0).value().timestamp()).isEqualTo(at(300));
        assertThat(out.get(1).value().timestamp()).isEqualTo(at(10));
        assertThat(out.get(1).timestamp()).isEqualTo(at(10).toEpochMilli());
    }

    @Test
    void readingWithoutDeviceTimeUsesReceivedAtWithMicrosecondPrecision() {
        Instant received = Instant.parse("2026-11-20T09:00:00.123456Z");
        t.send(full(DEV, 100, 1, received));

        assertThat(t.readings.readValue().timestamp()).isEqualTo(received);
    }

    // --- duplicates --------------------------------------------------------------------------------

    @Test
    void duplicateIdentityIsDroppedAndCounted() {
        Instant device = at(0);
        t.send(withDeviceTime(DEV, 100, 10, device, at(1)));
        t.send(withDeviceTime(DEV, 100, 10, device, at(2)));   // device retry: same device time
        t.send(withDeviceTime(DEV, 110, 11, at(5), at(6)));
        t.send(withDeviceTime(DEV, 100, 10, device, at(7)));   // late redelivery

        assertThat(t.readings.readValuesToList()).extracting(Reading::timestamp).containsExactly(at(0), at(5));
        assertThat(t.metric("duplicates-dropped-total")).isEqualTo(2);
    }

    @Test
    void sameTimestampOnAnotherDeviceIsNotADuplicate() {
        t.send(withDeviceTime(DEV, 100, 10, at(0), at(1)));
        t.send(withDeviceTime("other", 100, 10, at(0), at(1)));

        assertThat(t.readings.readValuesToList()).hasSize(2);
        assertThat(t.metric("duplicates-dropped-total")).isZero();
    }

    // --- enrichment --------------------------------------------------------------------------------

    @Test
    void enrichesWithDeviceRegistryAndAppliesPerDeviceThreshold() {
        t.devices.pipeInput(DEV, new Device(DEV, "Garage charger", "Home", 2000.0));
        t.send(full(DEV, 2500, 1, at(0)));
        t.send(full("unknown-device", 2500, 1, at(0)));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out.get(0).deviceName()).isEqualTo("Garage charger");
        assertThat(out.get(0).site()).isEqualTo("Home");
        assertThat(out.get(0).overThreshold()).isTrue();
        assertThat(out.get(1).deviceName()).isNull();
        assertThat(out.get(1).site()).isNull();
        assertThat(out.get(1).overThreshold()).isFalse();   // default 3500 W

        List<Alert> alerts = t.alerts.readValuesToList();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.deviceId()).isEqualTo(DEV);
            assertThat(a.thresholdW()).isEqualTo(2000.0);
        });
    }

    @Test
    void unreadableRegistryEntryIsSkippedAndReadingsStillFlow() {
        TestInputTopic<String, byte[]> rawDevices = t.driver.createInputTopic(Topics.DEVICES.name(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        rawDevices.pipeInput(DEV, "{\"name\": ".getBytes(StandardCharsets.UTF_8));
        t.send(full(DEV, 100, 1, at(0)));

        Reading r = t.readings.readValue();
        assertThat(r.deviceName()).isNull();
        assertThat(r.overThreshold()).isFalse();
    }

    @Test
    void registryUpdateAppliesToLaterReadings() {
        t.send(full(DEV, 2500, 1, at(0)));
        t.devices.pipeInput(DEV, new Device(DEV, "Charger", "Depot", 2000.0));
        t.send(full(DEV, 2500, 2, at(10)));
        t.devices.pipeInput(DEV, null);   // removed from the registry
        t.send(full(DEV, 2500, 3, at(20)));

        assertThat(t.readings.readValuesToList()).extracting(Reading::deviceName, Reading::overThreshold)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, false),
                        org.assertj.core.groups.Tuple.tuple("Charger", true),
                        org.assertj.core.groups.Tuple.tuple(null, false));
    }

    @Test
    void registryEntryWithoutThresholdAndConfiguredDefaultThreshold() {
        t.close();
        Properties p = new Properties();
        p.setProperty(TopologySettings.THRESHOLD_W, "1000");
        t = new TopologyFixture(p);
        t.devices.pipeInput(DEV, new Device(DEV, "Heat pump", "Barn", null));
        t.send(full(DEV, 1200, 1, at(0)));

        Reading r = t.readings.readValue();
        assertThat(r.deviceName()).isEqualTo("Heat pump");
        assertThat(r.overThreshold()).isTrue();
        assertThat(t.alerts.readValue().thresholdW()).isEqualTo(1000.0);
    }

    // --- energy ------------------------------------------------------------------------------------

    @Test
    void energyDeltaFromPreviousCounterAndZeroForFirstReading() {
        t.send(full(DEV, 100, 1000.0, at(0)));
        t.send(full(DEV, 100, 1000.3, at(10)));
        t.send(full(DEV, 100, 1002.0, at(20)));

        assertThat(t.readings.readValuesToList()).extracting(Reading::energyDeltaWh).containsExactly(0.0, 0.3, 1.7);
    }

    @Test
    void counterThatGoesDownIsAResetCountedFromZero() {
        t.send(full(DEV, 100, 5000, at(0)));
        t.send(full(DEV, 100, 5010, at(10)));
        t.send(full(DEV, 100, 4, at(20)));       // reboot: counter restarted and reached 4 Wh
        t.send(full(DEV, 100, 9, at(30)));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 10.0, 4.0, 5.0);
        assertThat(out).extracting(Reading::counterReset).containsExactly(false, false, true, false);
    }

    @Test
    void outOfOrderReadingNeverGoesNegativeNorDoubleCounts() {
        t.send(withDeviceTime(DEV, 100, 100, at(0), at(0)));
        t.send(withDeviceTime(DEV, 100, 130, at(20), at(20)));
        t.send(withDeviceTime(DEV, 100, 120, at(10), at(21)));   // arrives after the t=20 reading
        t.send(withDeviceTime(DEV, 100, 140, at(30), at(30)));

        List<Reading> out = t.readings.readValuesToList();
        assertThat(out).extracting(Reading::timestamp).containsExactly(at(0), at(20), at(10), at(30));
        assertThat(out).extracting(Reading::energyDeltaWh).containsExactly(0.0, 30.0, 0.0, 10.0);
        assertThat(out).extracting(Reading::counterReset).containsOnly(false);
        assertThat(out.stream().mapToDouble(Reading::energyDeltaWh).sum()).isEqualTo(140 - 100);
    }

    // --- alerts ------------------------------------------------------------------------------------

    @Test
    void powerAlertRaisesOnceAndClearsOnlyBelowHysteresisWhileFlapping() {
        double[] powers = {3000, 3600, 3400, 3700, 3340, 3520, 3320, 3000, 3600};
        for (int i = 0; i < powers.length; i++) {
            t.send(full(DEV, powers[i], 1000 + i, at(i * 10L)));
        }
        // threshold 3500 W, clear below 3325 W: 3400 and 3340 keep it raised, 3320 clears it.
        List<Alert> out = t.alerts.readValuesToList();
        assertThat(out).extracting(Alert::state).containsExactly(State.RAISED, State.CLEARED, State.RAISED);
        assertThat(out).extracting(Alert::kind).containsOnly(Kind.POWER_OVER_THRESHOLD);

        Alert raised = out.get(0);
        assertThat(raised.thresholdW()).isEqualTo(3500);
        assertThat(raised.powerW()).isEqualTo(3600);
        assertThat(raised.peakW()).isEqualTo(3600);
        assertThat(raised.startedAt()).isEqualTo(at(10));
        assertThat(raised.endedAt()).isNull();

        Alert cleared = out.get(1);
        assertThat(cleared.powerW()).isEqualTo(3320);
        assertThat(cleared.peakW()).isEqualTo(3700);
        assertThat(cleared.startedAt()).isEqualTo(at(10));
        assertThat(cleared.endedAt()).isEqualTo(at(60));
        assertThat(cleared.durationS()).isEqualTo(50.0);

        assertThat(out.get(2).startedAt()).isEqualTo(at(80));
    }

    @Test
    void configuredHysteresisMovesTheClearLevel() {
        t.close();
        Properties p = new Properties();
        p.setProperty(TopologySettings.HYSTERESIS, "0.2");
        t = new TopologyFixture(p);
        t.send(full(DEV, 3600, 1, at(0)));
        t.send(full(DEV, 3000, 1, at(10)));     // above 2800: still raised
        t.send(full(DEV, 2700, 1, at(20)));

        assertThat(t.alerts.readValuesToList()).extracting(Alert::state, Alert::powerW)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(State.RAISED, 3600.0),
                        org.assertj.core.groups.Tuple.tuple(State.CLEARED, 2700.0));
    }

    @Test
    void deviceOfflineRaisedByWallClockAndClearedWhenItReportsAgain() {
        t.send(full(DEV, 100, 1, at(0)));
        t.driver.advanceWallClockTime(Duration.ofMinutes(4));
        assertThat(t.alerts.isEmpty()).isTrue();

        t.driver.advanceWallClockTime(Duration.ofMinutes(1).plusSeconds(1));
        Alert raised = t.alerts.readValue();
        assertThat(raised.kind()).isEqualTo(Kind.DEVICE_OFFLINE);
        assertThat(raised.state()).isEqualTo(State.RAISED);
        assertThat(raised.startedAt()).isEqualTo(T0);
        assertThat(raised.powerW()).isNull();

        t.driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(t.alerts.isEmpty()).isTrue();   // no repeated RAISED

        t.send(full(DEV, 100, 2, at(900)));
        Alert cleared = t.alerts.readValue();
        assertThat(cleared.kind()).isEqualTo(Kind.DEVICE_OFFLINE);
        assertThat(cleared.state()).isEqualTo(State.CLEARED);
        assertThat(cleared.startedAt()).isEqualTo(T0);
        assertThat(cleared.endedAt()).isAfter(T0.plus(Duration.ofMinutes(15)));
        assertThat(cleared.durationS()).isGreaterThan(15 * 60.0);
    }

    @Test
    void offlineAfterIsConfigurable() {
        t.close();
        Properties p = new Properties();
        p.setProperty(TopologySettings.OFFLINE_AFTER_MS, Long.toString(Duration.ofSeconds(30).toMillis()));
        t = new TopologyFixture(p);
        t.send(full(DEV, 100, 1, at(0)));
        t.driver.advanceWallClockTime(Duration.ofSeconds(31));

        assertThat(t.alerts.readValue().kind()).isEqualTo(Kind.DEVICE_OFFLINE);
    }

    // --- windows -----------------------------------------------------------------------------------

    @Test
    void oneMinuteWindowHasCountPowerVoltageCurrentAndEnergy() {
        t.send(full(DEV, 100, 1000, at(0)));
        t.send(full(DEV, 300, 1002, at(20)));
        t.send(full(DEV, 200, 1005, at(40)));
        t.send(full(DEV, 50, 1006, at(61)));       // next window
        assertThat(t.win1m.isEmpty()).isTrue();    // first window still within grace

        t.send(full(DEV, 50, 1007, at(91)));       // stream time passes 09:01:00 + 30 s
        List<WindowStats> out = t.win1m.readValuesToList();
        assertThat(out).singleElement().satisfies(w -> {
            assertThat(w.deviceId()).isEqualTo(DEV);
            assertThat(w.windowStart()).isEqualTo(at(0));
            assertThat(w.windowEnd()).isEqualTo(at(60));
            assertThat(w.count()).isEqualTo(3);
            assertThat(w.powerMin()).isEqualTo(100);
            assertThat(w.powerMax()).isEqualTo(300);
            assertThat(w.powerAvg()).isEqualTo(200);
            assertThat(w.voltageAvg()).isEqualTo(230);
            assertThat(w.currentAvg()).isCloseTo(200 / 230.0, within(1e-9));
            assertThat(w.energyWh()).isEqualTo(5);
        });
    }

    @Test
    void lateRecordWithinGraceIsCountedAndBeyondGraceIsNot() {
        t.send(withDeviceTime(DEV, 100, 1000, at(10), at(10)));
        t.send(withDeviceTime(DEV, 100, 1001, at(75), at(75)));
        t.send(withDeviceTime(DEV, 400, 1000.5, at(50), at(80)));   // 20 s late for 09:00 window: within grace
        t.send(withDeviceTime(DEV, 100, 1002, at(95), at(95)));     // stream time 09:01:35 closes 09:00
        t.send(withDeviceTime(DEV, 900, 1000.7, at(55), at(96)));   // beyond grace for 09:00
        t.send(withDeviceTime(DEV, 100, 1003, at(140), at(140)));  // 09:01 window stays open

        List<WindowStats> out = t.win1m.readValuesToList();
        assertThat(out).extracting(WindowStats::windowStart).containsExactly(at(0));
        assertThat(out.get(0).count()).isEqualTo(2);
        assertThat(out.get(0).powerMax()).isEqualTo(400);
        // the late readings are still published as readings
        assertThat(t.readings.readValuesToList()).hasSize(6);
    }

    @Test
    void exactlyOneFinalResultPerWindowPerDevice() {
        for (int i = 0; i < 6 * 60; i += 5) {
            t.send(full(DEV, 100 + i, 1000 + i, at(i)));
            t.send(full("other", 10, 10 + i, at(i)));
        }
        t.send(full(DEV, 100, 2000, at(6 * 60 + 31)));

        List<TestRecord<String, WindowStats>> out = t.win1m.readRecordsToList();
        assertThat(out).hasSize(12);
        assertThat(out.stream().map(r -> r.key() + "@" + r.value().windowStart()).distinct()).hasSize(12);
        assertThat(out).allSatisfy(r -> assertThat(r.value().count()).isEqualTo(12));
        assertThat(out).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().deviceId()));
        assertThat(t.win1h.isEmpty()).isTrue();   // the hour is still open
    }

    @Test
    void oneHourWindowClosesAfterItsGraceWithEnergySum() {
        t.send(full(DEV, 1000, 100, at(0)));
        t.send(full(DEV, 2000, 600, at(1800)));
        t.send(full(DEV, 3000, 1600, at(3599)));
        t.send(full(DEV, 3000, 1700, at(3600 + 299)));
        assertThat(t.win1h.isEmpty()).isTrue();
        t.send(full(DEV, 3000, 1800, at(3600 + 300)));

        assertThat(t.win1h.readValuesToList()).singleElement().satisfies(w -> {
            assertThat(w.windowStart()).isEqualTo(at(0));
            assertThat(w.windowEnd()).isEqualTo(at(3600));
            assertThat(w.count()).isEqualTo(3);
            assertThat(w.powerAvg()).isEqualTo(2000);
            assertThat(w.energyWh()).isEqualTo(1500);
        });
    }

    @Test
    void dailyAggregateIsALocalDayOfTheDefaultZoneAndClosesOnceItsLastHourHasClosed() {
        // T0 is 09:00 UTC and no tariff gives the meter a zone: its day is the default zone's (UTC),
        // 00:00 to 24:00 whatever time the first reading came, published once its last hour has closed.
        Instant midnight = Instant.parse("2026-11-21T00:00:00Z");
        t.send(full(DEV, 1000, 100, at(0)));
        t.send(full(DEV, 3000, 2100, at(8 * 3600)));
        t.send(full(DEV, 2000, 2600, midnight.minusMillis(1)));
        t.send(full(DEV, 2000, 2700, midnight.plus(Duration.ofMinutes(9))));
        t.send(full(DEV, 2000, 2800, midnight.plus(StreamsTopology.GRACE_1D).minusMillis(1)));
        assertThat(t.win1d.isEmpty()).isTrue();
        t.send(full(DEV, 2000, 2900, midnight.plus(StreamsTopology.GRACE_1D)));

        assertThat(t.win1d.readValuesToList()).singleElement().satisfies(w -> {
            assertThat(w.windowStart()).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
            assertThat(w.windowEnd()).isEqualTo(midnight);
            assertThat(w.day()).isEqualTo(LocalDate.parse("2026-11-20"));
            assertThat(w.timeZone()).isEqualTo("UTC");
            assertThat(w.count()).isEqualTo(3);
            assertThat(w.powerMax()).isEqualTo(3000);
            assertThat(w.energyWh()).isEqualTo(2500);
        });
    }

    // --- naming ------------------------------------------------------------------------------------

    @Test
    void topologyHasOnlyExplicitNames() {
        String description = StreamsTopology.build(StreamsProperties.defaults()).describe().toString();

        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        assertThat(description).contains("parse-validate", "drop-duplicates", "overlay-partials", "enrich-with-device",
                "energy-delta", "alerts", "window-1m-final", "window-1h-final", StoreNames.ALERT_STATE);
        assertThat(description).doesNotContain("repartition");
    }
}
