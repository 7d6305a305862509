package io.wattstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.schema.Migrations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Migration V3 on a database that holds history in the old, unpartitioned layout. */
class HistoryMigrationIT {

    private static final MigrationVersion PARTITIONING = MigrationVersion.fromVersion("3");
    private static final List<String> TABLES = List.of("measurement", "measurement_1m", "measurement_1h", "alert");

    private static EmbeddedPostgres pg;
    private static Sql sql;

    @BeforeAll
    static void start() {
        pg = EmbeddedPostgres.startEphemeral();
        sql = new Sql(pg.dataSource());
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void partitioningKeepsEveryRowConstraintAndIndexOfTheOldLayout() throws Exception {
        Flyway.configure().dataSource(pg.dataSource()).locations(Migrations.LOCATION).target(lastBefore(PARTITIONING))
                .load().migrate();
        assertThat(relkind("measurement")).isEqualTo("r");
        // Three days of readings of two meters, a stray from a device with its clock in 1999, and
        // aggregates as the sink wrote them; alerts are not partitioned and must come through as well.
        sql.exec("""
                insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at, source,
                                         freq, energy_delta_wh, counter_reset, over_threshold, device_name, site)
                select 'meter-' || (i % 2), t, 3600 + i % 7, 230.1, 15.6, i * 0.5, t + interval '80 ms', 'webhook',
                       50.0, 0.5, i = 10, i % 5 = 0, 'Garage', 'Home'
                from generate_series(1, 720) i,
                     lateral (select timestamptz '2026-11-17T00:00:00.123456Z' + i * interval '6 minutes' as t) x;
                insert into measurement (device_id, "timestamp", power, voltage, current, energy, received_at)
                values ('clockless', '1999-12-31T23:59:59.999999Z', 1, 229, 0.01, 7, '2026-11-18T10:00:00Z');
                insert into measurement_1m (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                            voltage_avg, current_avg, energy_wh)
                select device_id, date_trunc('minute', "timestamp"), date_trunc('minute', "timestamp") + interval '1 minute',
                       count(*), min(power), max(power), avg(power), avg(voltage), avg(current), sum(energy_delta_wh)
                from measurement group by 1, 2;
                insert into measurement_1h (device_id, window_start, window_end, count, power_min, power_max, power_avg,
                                            voltage_avg, current_avg, energy_wh)
                select device_id, date_trunc('hour', "timestamp"), date_trunc('hour', "timestamp") + interval '1 hour',
                       count(*), min(power), max(power), avg(power), avg(voltage), avg(current), sum(energy_delta_wh)
                from measurement group by 1, 2;
                insert into alert (device_id, kind, started_at, state, threshold_w, power_w, peak_w)
                values ('meter-1', 'POWER_OVER_THRESHOLD', '2026-11-18T08:00:00Z', 'RAISED', 3500, 3601, 3606);
                """);
        // Later migrations may add columns: the rows are compared on the columns the old layout had.
        Map<String, String> oldColumns = columns();
        List<String> before = dump(oldColumns);

        Migrations.apply(pg.dataSource());

        assertThat(dump(oldColumns)).isEqualTo(before);
        for (String table : List.of("measurement", "measurement_1m", "measurement_1h", "measurement_1d")) {
            assertThat(relkind(table)).as(table).isEqualTo("p");
        }
        assertThat(sql.rows("select pg_get_constraintdef(oid) from pg_constraint where conname = 'measurement_pkey'"))
                .containsExactly("PRIMARY KEY (device_id, \"timestamp\")");
        assertThat(sql.rows("select indexdef from pg_indexes where indexname = 'measurement_timestamp_desc'"))
                .singleElement().asString().contains("ON ONLY public.measurement ").endsWith("(\"timestamp\" DESC)");
        assertThat(sql.rows("select indexdef from pg_indexes where indexname = 'measurement_1m_window_start_desc'"))
                .singleElement().asString().contains("ON ONLY public.measurement_1m ");
        // Each day with readings has its partition, the stray's included; nothing was left in DEFAULT.
        assertThat(sql.partitions("measurement")).contains("measurement_p19991231", "measurement_p20261117",
                "measurement_p20261118", "measurement_p20261119", "measurement_p20261120");
        assertThat(sql.partitions("measurement_1h")).contains("measurement_1h_p199912", "measurement_1h_p202611");
        assertThat(sql.count("select count(*) from only measurement_default")).isZero();
        assertThat(sql.count("select count(*) from pg_class where relname like '%unpartitioned%'")).isZero();
    }

    private static Map<String, String> columns() throws Exception {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String table : TABLES) {
            columns.put(table, String.join(", ", sql.rows("select quote_ident(column_name) from information_schema.columns "
                    + "where table_schema = 'public' and table_name = ? order by ordinal_position", table)));
        }
        return columns;
    }

    private static List<String> dump(Map<String, String> columns) throws Exception {
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, String> t : columns.entrySet()) {
            sql.rows("select " + t.getValue() + " from " + t.getKey() + " order by row(" + t.getValue() + ")::text")
                    .forEach(r -> all.add(t.getKey() + ": " + r));
        }
        return all;
    }

    private static String relkind(String table) throws Exception {
        return sql.rows("select relkind::text from pg_class where oid = ?::regclass", table).get(0);
    }

    /** The newest migration before {@code version}: V1, or V2 when it exists. */
    private static MigrationVersion lastBefore(MigrationVersion version) {
        MigrationInfo[] all = Flyway.configure().dataSource(pg.dataSource()).locations(Migrations.LOCATION).load().info().all();
        return Arrays.stream(all).map(MigrationInfo::getVersion).filter(v -> v != null && v.compareTo(version) < 0)
                .max(MigrationVersion::compareTo).orElseThrow();
    }
}
