package io.wattstream.schema;

import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Applies the migrations to the database named by the prototype's variables ({@code POSTGRES_HOST},
 * {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}), gives
 * the read-only role its login ({@code POSTGRES_READONLY_PASSWORD}) and runs the history maintenance
 * once, so the partitions of the coming days exist before the sink writes; run by the deployment's
 * one-shot {@code connect-init} before the connectors are applied.
 */
public final class MigrateMain {

    static final Setting READONLY_PASSWORD = Setting.of(ReadOnlyRole.PASSWORD_ENV, "app.postgres.readonly-password", "",
            "password of the read-only role " + ReadOnlyRole.NAME + " for BI tools and Grafana (empty: no login)");

    /** The migration runner's settings: the database's, as every client of it reads them, and the history's. */
    public static final SettingsTable TABLE = SettingsTable.of("migrations", SharedSettings.POSTGRES,
            List.of(READONLY_PASSWORD), HistorySettings.SETTINGS);

    /** What a run of the migration runner (or of the maintenance) works with. */
    public record Run(PGSimpleDataSource database, String readOnlyPassword, HistorySettings history) {
    }

    public static void main(String[] args) throws SQLException {
        Run run = read(TABLE.reader(TABLE.load())); // a bad setting fails before anything changes
        DataSource ds = run.database();
        int applied = Migrations.apply(ds).migrationsExecuted;
        System.out.println("migrations applied: " + applied);
        if (run.readOnlyPassword().isEmpty()) {
            System.out.println("role " + ReadOnlyRole.NAME + " has no login: set " + ReadOnlyRole.PASSWORD_ENV + " to give it one");
        } else {
            ReadOnlyRole.enableLogin(ds, run.readOnlyPassword());
            System.out.println("role " + ReadOnlyRole.NAME + " may log in (read-only)");
        }
        HistoryMaintenance.run(ds, run.history()).forEach(a -> System.out.println("history: " + a));
    }

    /** Reads every setting of {@link #TABLE} through {@code r}. */
    public static Run read(SettingsReader r) {
        return new Run(dataSource(r), r.string(READONLY_PASSWORD.key()), HistorySettings.from(r));
    }

    /** The database the database settings of {@link #TABLE} name, read through {@code r}. */
    public static PGSimpleDataSource dataSource(SettingsReader r) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {r.string("app.postgres.host")});
        ds.setPortNumbers(new int[] {r.integer("app.postgres.port", 1, 65535)});
        ds.setDatabaseName(r.string("app.postgres.db"));
        ds.setUser(r.string("app.postgres.user"));
        ds.setPassword(r.string("app.postgres.password"));
        ds.setApplicationName("wattstream-db");
        return ds;
    }

    private MigrateMain() {
    }
}
