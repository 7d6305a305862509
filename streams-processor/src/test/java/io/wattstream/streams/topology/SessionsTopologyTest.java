package io.wattstream.streams.topology;

import static io.wattstream.streams.topology.TopologyFixture.T0;
import static io.wattstream.streams.topology.TopologyFixture.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wattstream.model.ChargingSession;
import io.wattstream.model.ChargingSession.State;
import io.wattstream.model.Device;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Tariff;
import io.wattstream.model.WindowStats;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Charging sessions, tariff prices and daily aggregates on the real topology. Defaults: a session opens
 * after 1 min above 100 W and closes after 10 min at or below 50 W; UPDATED at most every 30 s.
 */
class SessionsTopologyTest {

    private static final String DEV = "shellypro1pm-bay1";
    private static final String SITE = "Home";

    private TopologyFixture t;
    private final List<ChargingSession> events = new ArrayList<>();
    private final List<Reading> readings = new ArrayList<>();

    @BeforeEach
    void start() {
        t = new TopologyFixture();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** A meter with its own cumulative counter, reporting with its own clock. */
    private final class Meter {
        final String id;
        double counter;

        Meter(String id, double counter) {
            this.id = id;
            this.counter = counter;
        }

        /** The counter rises by {@code wh} since the previous reading; power {@code w} at {@code at}. */
        void read(Instant at, double w, double wh) {
            counter = Math.round((counter + wh) * 1e6) / 1e6;
            send(at, w, counter);
        }

        void send(Instant at, double w, double energy) {
            RawReading r = base(id, w, energy).timestamp(at).receivedAt(at).deviceTime(true)
                    .source(RawReading.Source.SWITCH_STATUS).build();
            t.send(r);
        }

        /** Readings every {@code step} seconds from {@code from} (inclusive) to {@code to} (inclusive) at {@code w}. */
        void steady(Instant from, Instant to, long step, double w) {
            for (Instant at = from; !at.isAfter(to); at = at.plusSeconds(step)) {
                read(at, w, w * step / 3600);
            }
        }
    }

    private static Instant s(long seconds) {
        return T0.plusSeconds(seconds);
    }

    private List<ChargingSession> sessions() {
        events.addAll(t.sessions.readValuesToList());
        return events;
    }

    private List<ChargingSession> closed() {
        return sessions().stream().filter(c -> c.state() == State.CLOSED).toList();
    }

    private List<Reading> readings() {
        readings.addAll(t.readings.readValuesToList());
        return readings;
    }

    private static Tariff.Zone zone(String name, String from, String to, String price) {
        return new Tariff.Zone(name, null, from, to, new BigDecimal(price));
    }

    private static Tariff flat(String id, String price, Instant from, Instant to) {
        return new Tariff(id, null, SITE, null, "EUR", "Europe/Berlin", from, to, List.of(zone("flat", null, null, price)));
    }

    private void registerAtSite() {
        t.devices.pipeInput(DEV, new Device(DEV, "Bay 1", SITE, null));
    }

    @Test
    void aSessionOpensAfterTheStartTimeAndClosesAfterTheStandbyTime() {
        Meter m = new Meter(DEV, 10_000);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(300), 10, 3600);          // 10 Wh every 10 s
        m.read(s(310), 0, 5);                         // the end of charging, counted: first reading of the pause
        m.steady(s(320), s(910), 10, 0);              // 10 minutes of standby from 310 close it

        List<ChargingSession> all = sessions();
        assertThat(all.get(0).state()).isEqualTo(State.OPENED);
        assertThat(all.get(0).startedAt()).isEqualTo(s(10));
        assertThat(all.get(0).lastReadingAt()).as("opened once above 100 W for a minute").isEqualTo(s(70));
        assertThat(all.get(0).energyWh()).isEqualTo(70.0);
        assertThat(all).extracting(ChargingSession::sessionId).containsOnly(all.get(0).sessionId());
        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.startedAt()).isEqualTo(s(10));
            assertThat(c.endedAt()).isEqualTo(s(310));
            assertThat(c.durationS()).isEqualTo(300.0);
            // The counter difference between the reading before the start and the end of the session.
            assertThat(c.energyWh()).isEqualTo(305.0).isEqualTo(10_305.0 - 10_000.0);
            assertThat(c.peakPowerW()).isEqualTo(3600.0);
            assertThat(c.avgPowerW()).isEqualTo(3660.0);
            assertThat(c.pauses()).isZero();
            assertThat(c.readings()).isEqualTo(31);
            assertThat(c.offline()).isFalse();
            assertThat(c.cost()).as("no tariff: unknown, never 0").isNull();
            assertThat(c.currency()).isNull();
            assertThat(c.zones()).isEmpty();
        });
        assertThat(readings()).extracting(Reading::cost).containsOnlyNulls();
    }

    @Test
    void anOpenSessionIsUpdatedAtMostEveryThirtySecondsOfEventTime() {
        Meter m = new Meter(DEV, 0);
        m.steady(s(0), s(600), 5, 2000);

        List<ChargingSession> all = sessions();
        assertThat(all).extracting(ChargingSession::state).first().isEqualTo(State.OPENED);
        assertThat(all).filteredOn(c -> c.state() == State.UPDATED).hasSize((600 - 60) / 30);
        for (int i = 1; i < all.size(); i++) {
            assertThat(Duration.between(all.get(i - 1).lastReadingAt(), all.get(i).lastReadingAt()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void powerAboveTheStartLevelForLessThanTheStartTimeIsNoSession() {
        Meter m = new Meter(DEV, 0);
        m.steady(s(0), s(50), 10, 3000);
        m.steady(s(60), s(120), 10, 0);
        m.steady(s(130), s(170), 10, 3000);
        assertThat(sessions()).isEmpty();
    }

    @Test
    void aShortPauseIsPartOfTheSessionAndCounted() {
        Meter m = new Meter(DEV, 500);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(300), 10, 3600);
        m.steady(s(310), s(600), 10, 20);             // a 5-minute pause at 20 W (balancing)
        m.steady(s(610), s(900), 10, 3600);
        m.read(s(910), 0, 1);
        double atEnd = m.counter;
        m.steady(s(920), s(1510), 10, 0);

        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.pauses()).isEqualTo(1);
            assertThat(c.startedAt()).isEqualTo(s(10));
            assertThat(c.endedAt()).isEqualTo(s(910));
            // Charging, the pause's standby consumption and the end: the counter difference.
            assertThat(c.energyWh()).isEqualTo(Math.round((atEnd - 500) * 1e6) / 1e6)
                    .isGreaterThan(30 * 10 + 30 * 10 + 1);
        });
        assertThat(sessions()).extracting(ChargingSession::sessionId).containsOnly(closed().get(0).sessionId());
    }

    @Test
    void aPauseLongerThanTheStandbyTimeSplitsTwoSessions() {
        Meter m = new Meter(DEV, 500);
        m.steady(s(0), s(300), 10, 3600);
        m.steady(s(310), s(1000), 10, 0);             // 11.5 minutes at 0 W
        m.steady(s(1010), s(1300), 10, 3600);
        m.steady(s(1310), s(1910), 10, 0);

        List<ChargingSession> done = closed();
        assertThat(done).hasSize(2);
        assertThat(done).extracting(ChargingSession::startedAt, ChargingSession::endedAt, ChargingSession::pauses)
                .containsExactly(tuple(s(0), s(310), 0), tuple(s(1010), s(1310), 0));
        assertThat(done.get(0).sessionId()).isNotEqualTo(done.get(1).sessionId());
        assertThat(done.get(0).energyWh()).isEqualTo(300.0);   // 0 s has no delta (the first reading), 310 adds none
        assertThat(done.get(1).energyWh()).isEqualTo(300.0);
    }

    @Test
    void aCounterResetInsideASessionCountsFromZeroAndIsFlagged() {
        Meter m = new Meter(DEV, 5000);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(150), 10, 3600);            // 150 Wh
        m.counter = 0;                                // the meter rebooted with a cleared counter ...
        m.read(s(160), 3600, 4);                      // ... and counted 4 Wh since
        m.steady(s(170), s(300), 10, 3600);           // 140 Wh
        m.read(s(310), 0, 0);
        m.steady(s(320), s(910), 10, 0);

        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.energyWh()).isEqualTo(150 + 4 + 140.0);
            assertThat(c.counterReset()).isTrue();
        });
    }

    @Test
    void aLateReadingInsideASessionIsNotCountedTwice() {
        Meter m = new Meter(DEV, 1000);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(200), 10, 3600);
        m.send(s(195), 3600, 1188);                   // arrives after 200: its energy is in 200's delta
        m.steady(s(210), s(300), 10, 3600);
        m.read(s(310), 0, 0);
        m.steady(s(320), s(910), 10, 0);

        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.energyWh()).isEqualTo(300.0).isEqualTo(m.counter - 1000);
            assertThat(c.readings()).isEqualTo(31);
        });
    }

    @Test
    void aMeterGoingOfflineMidSessionClosesItAfterTheStandbyTimeWithTheLastKnownEnergy() {
        Meter m = new Meter(DEV, 0);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(300), 10, 3600);
        t.driver.advanceWallClockTime(Duration.ofMinutes(9));
        assertThat(closed()).as("silent for less than the standby time").isEmpty();
        t.driver.advanceWallClockTime(Duration.ofMinutes(1).plusSeconds(10));

        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.offline()).isTrue();
            assertThat(c.endedAt()).isEqualTo(s(300));
            assertThat(c.energyWh()).isEqualTo(300.0);
        });
        m.steady(s(1500), s(1520), 10, 3600);
        assertThat(closed()).as("its return starts afresh, nothing closed twice").hasSize(1);
    }

    @Test
    void aReplayWithoutWallClockClosesAnOfflineSessionAlikeWhenTheMeterReportsAgain() {
        Meter m = new Meter(DEV, 0);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(300), 10, 3600);
        t.driver.advanceWallClockTime(Duration.ofMinutes(11));
        ChargingSession live = closed().get(0);
        t.close();

        Properties replay = new Properties();
        replay.setProperty(StreamsTopology.REPLAY, "true");
        t = new TopologyFixture(replay);
        events.clear();
        Meter again = new Meter(DEV, 0);
        again.read(s(0), 0, 0);
        again.steady(s(10), s(300), 10, 3600);
        t.driver.advanceWallClockTime(Duration.ofMinutes(11));
        assertThat(closed()).as("a replay has no wall clock").isEmpty();
        again.read(s(2000), 0, 0);

        assertThat(closed()).singleElement().isEqualTo(live);
    }

    @Test
    void aSessionAcrossAZoneBoundaryOnTheDaylightSavingChangeIsCostSplitExactly() {
        registerAtSite();
        t.tariffs("site:" + SITE, new Tariff("home-dn", "Day/night", SITE, null, "EUR", "Europe/Berlin",
                Instant.parse("2026-01-01T00:00:00Z"), null,
                List.of(zone("night", "00:00", "07:00", "0.25"), zone("day", "07:00", "24:00", "0.35"))));
        // 2026-10-25: summer time ends at 01:00 UTC. 05:30 UTC is 06:30 local (night; it would be 07:30, day,
        // the day before), 06:00 UTC is 07:00 local: the zone boundary.
        Meter m = new Meter(DEV, 20_000);
        Instant start = Instant.parse("2026-10-25T05:29:00Z");
        m.read(start, 0, 0);
        m.steady(start.plusSeconds(60), Instant.parse("2026-10-25T06:30:00Z"), 60, 6000);   // 100 Wh a minute
        m.read(Instant.parse("2026-10-25T06:31:00Z"), 0, 0);
        m.steady(Instant.parse("2026-10-25T06:32:00Z"), Instant.parse("2026-10-25T06:41:00Z"), 60, 0);

        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.energyWh()).isEqualTo(6100.0);
            assertThat(c.cost()).isEqualByComparingTo("1.835");   // 3.0 kWh x 0.25 + 3.1 kWh x 0.35
            assertThat(c.currency()).isEqualTo("EUR");
            assertThat(c.zones()).extracting(z -> z.zone(), z -> z.energyWh(), z -> z.cost().toPlainString(),
                            z -> z.pricePerKwh().toPlainString())
                    .containsExactly(tuple("night", 3000.0, "0.75", "0.25"), tuple("day", 3100.0, "1.085", "0.35"));
        });
        List<Reading> out = readings();
        assertThat(out).filteredOn(r -> r.timestamp().equals(Instant.parse("2026-10-25T05:59:00Z"))).singleElement()
                .satisfies(r -> assertThat(r).extracting(Reading::tariffZone, Reading::currency, Reading::tariffId)
                        .containsExactly("night", "EUR", "home-dn"));
        assertThat(out).filteredOn(r -> r.timestamp().equals(Instant.parse("2026-10-25T06:00:00Z"))).singleElement()
                .satisfies(r -> {
                    assertThat(r.tariffZone()).isEqualTo("day");
                    assertThat(r.cost()).isEqualByComparingTo("0.035");
                });

        // The hours and the local day carry the same costs; the day is 25 hours long.
        m.read(Instant.parse("2026-10-26T00:10:00Z"), 0, 0);
        assertThat(t.win1h.readValuesToList()).filteredOn(w -> w.deviceId().equals(DEV))
                .extracting(w -> w.windowStart().toString(), w -> w.energyWh(), w -> w.cost().toPlainString())
                .startsWith(tuple("2026-10-25T05:00:00Z", 3000.0, "0.75"), tuple("2026-10-25T06:00:00Z", 3100.0, "1.085"));
        assertThat(t.win1d.readValuesToList()).filteredOn(w -> w.deviceId().equals(DEV)).singleElement().satisfies(d -> {
            assertThat(d.day()).isEqualTo(LocalDate.parse("2026-10-25"));
            assertThat(d.timeZone()).isEqualTo("Europe/Berlin");
            assertThat(d.windowStart()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
            assertThat(d.windowEnd()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
            assertThat(d.energyWh()).isEqualTo(6100.0);
            assertThat(d.cost()).isEqualByComparingTo("1.835");
            assertThat(d.currency()).isEqualTo("EUR");
            assertThat(d.site()).isEqualTo(SITE);
        });
    }

    @Test
    void aNewTariffAppliesFromItsValidFromInsideASession() {
        registerAtSite();
        Instant change = s(300);
        t.tariffs("site:" + SITE, flat("2026-a", "0.30", Instant.parse("2026-01-01T00:00:00Z"), change),
                flat("2026-b", "0.40", change, null));
        Meter m = new Meter(DEV, 0);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(600), 10, 3600);            // 10 Wh a reading: 29 before the change, 31 from it on
        m.read(s(610), 0, 0);
        m.steady(s(620), s(1210), 10, 0);

        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.zones()).extracting(z -> z.tariffId(), z -> z.energyWh(), z -> z.cost().toPlainString())
                    .containsExactly(tuple("2026-a", 290.0, "0.087"), tuple("2026-b", 310.0, "0.124"));
            assertThat(c.cost()).isEqualByComparingTo("0.211");
        });
        assertThat(readings()).filteredOn(r -> r.timestamp().equals(change)).extracting(Reading::tariffId)
                .containsExactly("2026-b");
    }

    @Test
    void aMetersOwnTariffWinsOverItsSitesAndTheDefaultCoversTheRest() {
        registerAtSite();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        t.tariffs("default", new Tariff("fallback", null, null, null, "EUR", "UTC", from, null,
                List.of(zone("flat", null, null, "0.10"))));
        t.tariffs("site:" + SITE, flat("site", "0.30", from, null));
        t.tariffs("meter:" + DEV, new Tariff("own", null, null, DEV, "CHF", "Europe/Zurich", from, null,
                List.of(zone("flat", null, null, "0.50"))));
        new Meter(DEV, 0).steady(s(0), s(10), 10, 3600);
        new Meter("elsewhere", 0).steady(s(0), s(10), 10, 3600);

        assertThat(readings()).filteredOn(r -> r.energyDeltaWh() > 0)
                .extracting(Reading::deviceId, Reading::tariffId, Reading::currency, r -> r.cost().toPlainString())
                .containsExactlyInAnyOrder(tuple(DEV, "own", "CHF", "0.005"), tuple("elsewhere", "fallback", "EUR", "0.001"));
    }

    @Test
    void theRegistrySetsAMetersOwnLevelsAndTimes() {
        t.devices.pipeInput(DEV, new Device(DEV, "Bay 1", SITE, null, null, 1000.0, 0.0, 200.0, 60.0));
        Meter m = new Meter(DEV, 0);
        m.steady(s(0), s(100), 10, 800);               // below this meter's 1000 W start level
        assertThat(sessions()).isEmpty();
        m.read(s(110), 2000, 5);                        // opens at once (start time 0)
        m.read(s(120), 150, 1);                         // at or below its 200 W standby
        m.read(s(180), 0, 0);                           // a minute later: over

        assertThat(sessions()).extracting(ChargingSession::state).containsExactly(State.OPENED, State.CLOSED);
        assertThat(closed().get(0)).extracting(ChargingSession::startedAt, ChargingSession::endedAt,
                ChargingSession::energyWh).containsExactly(s(110), s(120), 6.0);
    }

    @Test
    void aRestartMidSessionGoesOnWithTheRestoredSession() {
        Meter m = new Meter(DEV, 0);
        m.read(s(0), 0, 0);
        m.steady(s(10), s(150), 10, 3600);
        String id = sessions().get(0).sessionId();

        t = t.restart();
        events.clear();
        m.steady(s(160), s(300), 10, 3600);
        m.read(s(310), 0, 0);
        m.steady(s(320), s(910), 10, 0);

        assertThat(sessions()).extracting(ChargingSession::state).doesNotContain(State.OPENED);
        assertThat(closed()).singleElement().satisfies(c -> {
            assertThat(c.sessionId()).isEqualTo(id);
            assertThat(c.startedAt()).isEqualTo(s(10));
            assertThat(c.energyWh()).isEqualTo(300.0);
            assertThat(c.readings()).isEqualTo(31);
        });
    }

    @Test
    void withSessionsOffThereAreNoSessionsNoPricesAndTheDailyAggregateStill() {
        t.close();
        Properties off = new Properties();
        off.setProperty(TopologySettings.SESSIONS_ENABLED, "false");
        t = new TopologyFixture(off);
        assertThat(t.driver.producedTopicNames()).doesNotContain("shelly.sessions");
        Meter m = new Meter(DEV, 0);
        m.steady(s(0), s(600), 10, 3600);
        m.read(Instant.parse("2026-11-21T01:10:00Z"), 0, 0);

        assertThat(readings()).extracting(Reading::cost).containsOnlyNulls();
        List<WindowStats> days = t.win1d.readValuesToList();
        assertThat(days).singleElement().satisfies(d -> {
            assertThat(d.day()).isEqualTo(LocalDate.parse("2026-11-20"));
            assertThat(d.timeZone()).isEqualTo("UTC");
            assertThat(d.energyWh()).isEqualTo(600.0);
            assertThat(d.cost()).isNull();
        });
    }
}
