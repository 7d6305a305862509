package io.wattstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wattstream.schema.HistoryMaintenance;
import io.wattstream.schema.HistorySettings;
import io.wattstream.schema.Migrations;
import io.wattstream.schema.ReadOnlyRole;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The partitioned history on a migrated database: partitions ahead of time and for stray times,
 * retention by whole partitions with the aggregates kept complete, and the read-only role. Each test
 * has its own devices and its own years, and passes the time it runs at.
 */
class HistoryIT {

    private static final HistorySettings KEEP_ALL = HistorySettings.fromEnv(Map.of(
            "RETENTION_RAW", "forever", "RETENTION_1M", "forever"));

    private static EmbeddedPostgres pg;
    private static Sql sql;

    @BeforeAll
    static void start() {
        pg = EmbeddedPostgres.startEphemeral();
        Migrations.apply(pg.dataSource());
        sql = new Sql(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void createsThePartitionsOfTheComingDaysAheadOfTime() throws Exception {
        HistoryMaintenance.run(pg.dataSource(), KEEP_ALL, Instant.parse("2030-03-29T22:00:00Z"));

        assertThat(sql.partitions("measurement")).contains("measurement_p20300329", "measurement_p20300330",
                "measurement_p20300331", "measurement_p20300401", "measurement_p20300405");
        assertThat(sql.partitions("measurement_1m")).contains("measurement_1m_p203003", "measurement_1m_p203004");
        assertThat(sql.partitions("measurement_1h")).contains("measurement_1h_p203003", "measurement_1h_p203004");
        assertThat(sql.partitions("measurement_1d")).contains("measurement_1d_p2030");
        // Ahead means 7 days, not more.
        assertThat(sql.partitions("measurement")).doesNotContain("measurement_p20300406");
        // A second run finds everything in place.
        assertThat(HistoryMaintenance.run(pg.dataSource(), KEEP_ALL, Instant.parse("2030-03-29T23:00:00Z")))
                .contains("partitions created: 0");
    }

    @Test
    void aReadingForAFarPastOrFutureDayLandsAndMovesIntoAPartitionOfItsOwn() throws Exception {
        sql.exec("""
                insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at)
                values ('stray-past', '1987-06-05T04:03:02.000001Z', 5, 230, 0.1, 1, now()),
                       ('stray-future', '2087-06-05T04:03:02Z', 6, 230, 0.1, 1, now());
                insert into measurement_1m (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                            voltage_avg, current_avg, energy_wh)
                values ('stray-past', '1987-06-05T04:03:00Z', '1987-06-05T04:04:00Z', 1, 5, 5, 5, 230, 0.1, 0);
                """);
        assertThat(sql.count("select count(*) from measurement_default where device_id like 'stray-%'")).isEqualTo(2);

        HistoryMaintenance.run(pg.dataSource(), KEEP_ALL);

        assertThat(sql.partitions("measurement")).contains("measurement_p19870605", "measurement_p20870605");
        assertThat(sql.partitions("measurement_1m")).contains("measurement_1m_p198706");
        assertThat(sql.count("select count(*) from measurement_default")).isZero();
        assertThat(sql.count("select count(*) from measurement_1m_default")).isZero();
        assertThat(sql.rows("select device_id, tableoid::regclass::text from measurement where device_id like 'stray-%' order by 1"))
                .containsExactly("stray-future|measurement_p20870605", "stray-past|measurement_p19870605");
    }

    @Test
    void retentionDropsWholePartitionsAndTheAggregatesStayComplete() throws Exception {
        // 12 days of readings every 10 minutes (2031-01-01 .. 01-12); the stream processor wrote the
        // 1-minute and 1-hour windows of the first day only, missing the rest (say, replayed history).
        sql.exec("""
                insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at, energy_delta_wh,
                                         energy_returned_delta_wh, energy_from_power_wh)
                select 'kept-' || (i % 2), t, 1000 + i % 24, 230, 4.3, i * 0.25, t, 0.25, 0.125, 0.3
                from generate_series(0, 12 * 144 - 1) i,
                     lateral (select timestamptz '2031-01-01T00:00:00Z' + i * interval '10 minutes' as t) x;
                -- One reading came after its minute had closed: the stream processor left it out of that window.
                update measurement set late_1m = true where device_id = 'kept-1' and "timestamp" = '2031-01-02T12:10:00Z';
                insert into measurement_1m (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                            voltage_avg, current_avg, energy_wh)
                select device_id, date_trunc('minute', "timestamp"), date_trunc('minute', "timestamp") + interval '1 minute',
                       count(*), min(power), max(power), avg(power), avg(voltage), avg(current), 99
                from measurement where device_id like 'kept-%' and "timestamp" < '2031-01-02' group by 1, 2;
                -- An hour the stream processor closed before two of its three readings came.
                insert into measurement_1h (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                            voltage_avg, current_avg, energy_wh)
                values ('kept-0', '2031-01-01T00:00:00Z', '2031-01-01T01:00:00Z', 1, 1000, 1000, 1000, 230, 4.3, 0.25);
                """);
        HistorySettings tenDays = HistorySettings.fromEnv(Map.of("RETENTION_RAW", "10d", "RETENTION_1M", "400d"));

        List<String> actions = HistoryMaintenance.run(pg.dataSource(), tenDays, Instant.parse("2031-01-13T06:00:00Z"));

        // Days that ended more than 10 days ago are gone as whole partitions; 01-03 onwards is kept.
        assertThat(sql.partitions("measurement")).doesNotContain("measurement_p20310101", "measurement_p20310102")
                .contains("measurement_p20310103", "measurement_p20310112");
        assertThat(sql.count("select count(*) from pg_class where relname = 'measurement_p20310101'")).isZero();
        assertThat(actions).anyMatch(a -> a.startsWith("dropped measurement_p20310101 "));
        assertThat(sql.count("select count(*) from measurement where device_id like 'kept-%' and \"timestamp\" < '2031-01-03'")).isZero();
        assertThat(sql.count("select count(*) from measurement where device_id like 'kept-%'")).isEqualTo(10 * 144);
        // Every dropped reading is in exactly one window of each level; the windows the stream
        // processor wrote complete stayed as they were (energy 99), the missing ones came from the
        // readings, and the one that missed readings was recomputed.
        // (the late reading is not in its minute, but in its hour and day).
        assertThat(sql.rows("select sum(count) from measurement_1m where device_id like 'kept-%' and window_start < '2031-01-03'"))
                .containsExactly(Long.toString(2 * 144 - 1));
        for (String level : List.of("measurement_1h", "measurement_1d")) {
            assertThat(sql.rows("select sum(count) from " + level + " where device_id like 'kept-%' and window_start < '2031-01-03'"))
                    .as(level).containsExactly(Long.toString(2 * 144));
        }
        assertThat(sql.rows("select sum(energy_returned_wh), sum(energy_from_power_wh), bool_or(energy_mismatch) from measurement_1d "
                + "where device_id like 'kept-%' and window_start = '2031-01-02'")).containsExactly("18|43.2|f");
        assertThat(sql.count("select count(*) from measurement_1m where device_id like 'kept-%' and energy_wh = 99")).isEqualTo(144);
        assertThat(sql.rows("select count, power_max, energy_wh from measurement_1h where device_id = 'kept-0' "
                + "and window_start = '2031-01-01T00:00:00Z'")).containsExactly("3|1004|0.75");
        assertThat(sql.rows("select sum(energy_wh) from measurement_1h where device_id like 'kept-%' and window_start >= '2031-01-02'"
                + " and window_start < '2031-01-03'")).containsExactly("36");
        assertThat(sql.rows("select device_id, count, power_min, power_max, power_avg, energy_wh from measurement_1d "
                + "where window_start = '2031-01-02' order by 1"))
                .containsExactly("kept-0|72|1000|1022|1011|18", "kept-1|72|1001|1023|1012|18");
        // The retention applied is the one the query API reads.
        assertThat(sql.rows("select level, keep from history_level order by position"))
                .containsExactly("raw|10 days", "1m|400 days", "1h|null", "1d|null");
    }

    @Test
    void aggregatesPastTheirRetentionFillTheCoarserLevelsBeforeTheyGo() throws Exception {
        // 1-minute windows of March 2032 with no hourly or daily windows yet.
        sql.exec("""
                insert into measurement_1m (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                            voltage_avg, current_avg, energy_wh)
                select 'minutes', t, t + interval '1 minute', 2, 10, 30, 20, 230, 0.1, 0.5
                from generate_series(timestamptz '2032-03-01T00:00:00Z', '2032-03-31T23:59:00Z', interval '1 minute') t;
                """);
        HistorySettings shortMinutes = HistorySettings.fromEnv(Map.of("RETENTION_RAW", "10d", "RETENTION_1M", "20d"));

        HistoryMaintenance.run(pg.dataSource(), shortMinutes, Instant.parse("2032-04-25T00:00:00Z"));

        assertThat(sql.partitions("measurement_1m")).doesNotContain("measurement_1m_p203203");
        assertThat(sql.rows("select count(*), sum(count), sum(energy_wh), min(power_avg), max(power_avg) from measurement_1h "
                + "where device_id = 'minutes'")).containsExactly("744|89280|22320|20|20");
        assertThat(sql.rows("select count(*), sum(count) from measurement_1d where device_id = 'minutes'"))
                .containsExactly("31|89280");
    }

    @Test
    void retentionBuildsLocalDaysWithTheirCostsFromTheHours() throws Exception {
        // 2034-03-24 .. 03-28 (UTC), a reading every 10 minutes of 0.25 Wh priced by the local hour in
        // Berlin (0.20 EUR/kWh before 06:00, 0.36 after); Berlin goes to summer time on 03-26. The stream
        // processor wrote two of the meter's Berlin days: 03-25 before most of its readings came, 03-28
        // complete (energy 99 marks it).
        sql.exec("""
                insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at, energy_delta_wh,
                                         cost, currency)
                select 'local-eur', t, 3000, 230, 13, i * 0.25, t, 0.25,
                       0.25 * (case when extract(hour from t at time zone 'Europe/Berlin') < 6 then 0.20 else 0.36 end) / 1000, 'EUR'
                from generate_series(0, 5 * 144 - 1) i,
                     lateral (select timestamptz '2034-03-24T00:00:00Z' + i * interval '10 minutes' as t) x;
                insert into measurement_1d (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                            voltage_avg, current_avg, energy_wh, cost, currency, day, time_zone, site)
                values ('local-eur', '2034-03-24T23:00:00Z', '2034-03-25T23:00:00Z', 1, 3000, 3000, 3000, 230, 13, 0.25,
                        0.00005, 'EUR', '2034-03-25', 'Europe/Berlin', 'Home'),
                       ('local-eur', '2034-03-27T22:00:00Z', '2034-03-28T22:00:00Z', 144, 3000, 3000, 3000, 230, 13, 99,
                        9.99, 'EUR', '2034-03-28', 'Europe/Berlin', 'Home');
                -- Meters without a stored day (UTC days): one reading with energy but no price, one without
                -- either, and two currencies in one day.
                insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at, energy_delta_wh,
                                         cost, currency)
                values ('unpriced', '2034-03-24T10:00:00Z', 100, 230, 0.5, 1, now(), 0.5, 0.0001, 'EUR'),
                       ('unpriced', '2034-03-24T11:00:00Z', 100, 230, 0.5, 1.5, now(), 0.5, null, null),
                       ('unpriced', '2034-03-25T10:00:00Z', 100, 230, 0.5, 2, now(), 0.5, 0.0001, 'EUR'),
                       ('unpriced', '2034-03-25T11:00:00Z', 0, 230, 0, 2, now(), 0, null, null),
                       ('mixed', '2034-03-24T10:00:00Z', 100, 230, 0.5, 1, now(), 0.5, 0.0001, 'EUR'),
                       ('mixed', '2034-03-24T10:30:00Z', 100, 230, 0.5, 1.5, now(), 0.5, 0.0002, 'CHF');
                """);
        // What each Berlin day holds, straight from the readings.
        String perBerlinDay = "select (\"timestamp\" at time zone 'Europe/Berlin')::date, count(*), trim_scale(sum(cost)) from measurement "
                + "where device_id = 'local-eur' and (\"timestamp\" at time zone 'Europe/Berlin')::date <> '2034-03-28' "
                + "group by 1 order by 1";
        List<String> expected = sql.rows(perBerlinDay);
        assertThat(expected).hasSize(5); // 03-24 .. 03-29 without the stored 03-28

        HistoryMaintenance.run(pg.dataSource(), HistorySettings.fromEnv(Map.of("RETENTION_RAW", "10d", "RETENTION_1M", "forever")),
                Instant.parse("2034-04-08T06:00:00Z"));

        assertThat(sql.count("select count(*) from measurement where device_id = 'local-eur'")).isZero();
        // Every day is the Berlin day, 23 hours on the change to summer time; the one that missed
        // readings was recomputed, the complete one stayed as the stream processor wrote it.
        assertThat(sql.rows("select day, count, trim_scale(cost) from measurement_1d where device_id = 'local-eur' and day <> '2034-03-28' "
                + "order by day")).containsExactlyElementsOf(expected);
        assertThat(sql.rows("select day, to_char(window_start at time zone 'UTC', 'MM-DD HH24:MI'), "
                + "(extract(epoch from window_end - window_start) / 3600)::int, time_zone, site, currency, energy_wh "
                + "from measurement_1d where device_id = 'local-eur' order by day"))
                .containsExactly("2034-03-24|03-23 23:00|24|Europe/Berlin|Home|EUR|34.5",
                        "2034-03-25|03-24 23:00|24|Europe/Berlin|Home|EUR|36",
                        "2034-03-26|03-25 23:00|23|Europe/Berlin|Home|EUR|34.5",
                        "2034-03-27|03-26 22:00|24|Europe/Berlin|Home|EUR|36",
                        "2034-03-28|03-27 22:00|24|Europe/Berlin|Home|EUR|99",
                        "2034-03-29|03-28 22:00|24|Europe/Berlin|Home|EUR|3");
        // The summer-time day: 5 night hours (00:00-02:00 and 03:00-06:00 local) at 0.20, 18 day hours at 0.36.
        assertThat(sql.rows("select count, trim_scale(cost) from measurement_1d where device_id = 'local-eur' and day = '2034-03-26'"))
                .containsExactly("138|0.01122");
        assertThat(sql.rows("select sum(count) from measurement_1d where device_id = 'local-eur'")).containsExactly("720");
        // No two days of the meter overlap.
        assertThat(sql.count("select count(*) from measurement_1d a join measurement_1d b on a.device_id = b.device_id "
                + "and a.window_start < b.window_start and a.window_end > b.window_start where a.device_id = 'local-eur'")).isZero();
        // The hours and minutes carry their costs too.
        assertThat(sql.rows("select count, trim_scale(cost), currency from measurement_1h where device_id = 'local-eur' "
                + "and window_start = '2034-03-26T10:00:00Z'")).containsExactly("6|0.00054|EUR");
        assertThat(sql.rows("select count(*), trim_scale(sum(cost)) from measurement_1m where device_id = 'local-eur'"))
                .containsExactly("720|0.0576");
        // A day whose readings with energy are not all priced, or priced in two currencies, has no cost;
        // a reading without energy needs no price.
        assertThat(sql.rows("select device_id, day, window_start = day::timestamp at time zone 'UTC', time_zone, count, trim_scale(cost), currency "
                + "from measurement_1d where device_id in ('unpriced', 'mixed') order by 1 desc, 2"))
                .containsExactly("unpriced|2034-03-24|t|UTC|2|null|null", "unpriced|2034-03-25|t|UTC|2|0.0001|EUR",
                        "mixed|2034-03-24|t|UTC|2|null|null");
        assertThat(sql.rows("select to_char(window_start at time zone 'UTC', 'HH24'), trim_scale(cost), currency from measurement_1h "
                + "where device_id = 'unpriced' and window_start < '2034-03-25' order by 1")).containsExactly("10|0.0001|EUR", "11|null|null");
    }

    @Test
    void theReadOnlyRoleReadsEverythingAndWritesNothing() throws Exception {
        ReadOnlyRole.enableLogin(pg.dataSource(), "s3cret-for-bi");
        sql.exec("""
                insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at)
                values ('for-bi', '2033-05-01T10:00:00Z', 42, 230, 0.2, 3, now())
                """);
        HistoryMaintenance.run(pg.dataSource(), KEEP_ALL); // the reading's partition is new: made after the grants

        try (Connection bi = DriverManager.getConnection(pg.jdbcUrl(), ReadOnlyRole.NAME, "s3cret-for-bi");
             Statement s = bi.createStatement()) {
            try (var rs = s.executeQuery("select power from measurement where device_id = 'for-bi'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(42);
            }
            try (var rs = s.executeQuery("select count(*) from measurement_p20330501")) {
                assertThat(rs.next()).isTrue();
            }
            for (String write : List.of(
                    "insert into measurement (device_id, \"timestamp\", power, voltage, current, energy, received_at) "
                            + "values ('bi', now(), 1, 1, 1, 1, now())",
                    "update measurement set power = 0 where device_id = 'for-bi'",
                    "delete from alert",
                    "drop table measurement_p20330501",
                    "create table mine (x int)")) {
                assertThatThrownBy(() -> s.execute(write)).as(write).isInstanceOf(SQLException.class);
            }
            // Switching the transaction to read-write does not help: the privileges are not there.
            s.execute("set session characteristics as transaction read write");
            assertThatThrownBy(() -> s.execute("update measurement set power = 0 where device_id = 'for-bi'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
        assertThat(sql.rows("select power from measurement where device_id = 'for-bi'")).containsExactly("42");
        // (The embedded server trusts local connections, so the password itself is not checked here.)
        assertThat(sql.rows("select rolcanlogin from pg_roles where rolname = ?", ReadOnlyRole.NAME)).containsExactly("t");
    }
}
