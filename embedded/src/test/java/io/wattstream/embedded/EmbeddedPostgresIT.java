package io.wattstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresIT {

    @Test
    void ephemeralServerHasTheApplicationDatabaseAndDeletesItsDataOnClose() throws Exception {
        Path dir;
        try (EmbeddedPostgres pg = EmbeddedPostgres.startEphemeral()) {
            dir = pg.dataDir();
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select current_database(), current_user, current_setting('server_version_num')::int / 10000")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("wattstream");
                assertThat(rs.getString(2)).isEqualTo("wattstream");
                assertThat(rs.getInt(3)).as("PostgreSQL major version").isEqualTo(17);
            }
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void persistentServerKeepsRowsAcrossRestart(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().dataDir(dir).build().start()) {
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("create table t (v int)");
                s.execute("insert into t values (42)");
            }
            pg.stop();
            assertThat(pg.isRunning()).isFalse();
            pg.start();
            try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select v from t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
        assertThat(Files.exists(dir.resolve("PG_VERSION"))).as("a given data directory is kept").isTrue();
    }
}
