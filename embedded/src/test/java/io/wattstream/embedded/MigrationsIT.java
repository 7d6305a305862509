package io.wattstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.schema.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MigrationsIT {

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
    void createsEveryTableWithItsPrimaryKey() throws Exception {
        assertThat(primaryKey("measurement")).containsExactly("device_id", "timestamp");
        assertThat(primaryKey("alert")).containsExactly("device_id", "kind", "started_at", "detail");
        assertThat(primaryKey("measurement_1m")).containsExactly("device_id", "window_start");
        assertThat(primaryKey("measurement_1h")).containsExactly("device_id", "window_start");
        assertThat(primaryKey("measurement_1d")).containsExactly("device_id", "window_start");
        assertThat(primaryKey("charging_session")).containsExactly("session_id");
    }

    @Test
    void keepsThePrototypeColumnsAndTypes() throws Exception {
        try (Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select column_name, data_type from information_schema.columns "
                     + "where table_name = 'measurement' and column_name in ('power','voltage','current','energy','timestamp') "
                     + "order by column_name")) {
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
            assertThat(cols).containsExactly("current:double precision", "energy:double precision",
                    "power:double precision", "timestamp:timestamp with time zone", "voltage:double precision");
        }
    }

    @Test
    void theDailyLevelIsThePartitionedTableWithItsLocalDayAndCostColumns() throws Exception {
        assertThat(sql.rows("select relkind::text from pg_class where relname = 'measurement_1d'")).containsExactly("p");
        assertThat(sql.count("select count(*) from pg_class where relname like 'measurement_1d_p%' and relkind = 'r'")).isPositive();
        // A column added to the table is on every partition, the DEFAULT one included.
        assertThat(sql.rows("select distinct column_name || ':' || data_type from information_schema.columns "
                + "where table_name like 'measurement_1d%' and column_name in ('cost', 'currency', 'day', 'time_zone', 'site') "
                + "order by 1"))
                .containsExactly("cost:numeric", "currency:text", "day:date", "site:text", "time_zone:text");
        assertThat(sql.count("select count(distinct table_name) from information_schema.columns "
                + "where table_name like 'measurement_1d%' and column_name = 'time_zone'"))
                .isEqualTo(sql.count("select count(*) from pg_class where relname like 'measurement_1d%' and relkind in ('r', 'p')"));
        for (String level : List.of("measurement", "measurement_1m", "measurement_1h")) {
            assertThat(sql.rows("select data_type from information_schema.columns where table_name = ? and column_name = 'cost'", level))
                    .as(level).containsExactly("numeric");
        }
    }

    @Test
    void applyingAgainChangesNothing() {
        assertThat(Migrations.apply(pg.dataSource()).migrationsExecuted).isZero();
    }

    private static List<String> primaryKey(String table) throws Exception {
        try (Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select a.attname from pg_index i "
                     + "join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) "
                     + "where i.indrelid = ?::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)")) {
            ps.setString(1, table);
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(rs.getString(1));
                }
            }
            return cols;
        }
    }
}
