package io.wattstream.schema;

import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Applies the migrations to the database named by the prototype's variables ({@code POSTGRES_HOST},
 * {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD});
 * run by the deployment's one-shot {@code connect-init} before the connectors are applied.
 */
public final class MigrateMain {

    /** The migration runner's settings: the database's, as every client of it reads them. */
    public static final SettingsTable TABLE = SettingsTable.of("migrations", SharedSettings.POSTGRES);

    public static void main(String[] args) {
        int applied = Migrations.apply(dataSource(TABLE.reader(TABLE.load()))).migrationsExecuted;
        System.out.println("migrations applied: " + applied);
    }

    /** The database every setting of {@link #TABLE} names, read through {@code r}. */
    public static PGSimpleDataSource dataSource(SettingsReader r) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {r.string("app.postgres.host")});
        ds.setPortNumbers(new int[] {r.integer("app.postgres.port", 1, 65535)});
        ds.setDatabaseName(r.string("app.postgres.db"));
        ds.setUser(r.string("app.postgres.user"));
        ds.setPassword(r.string("app.postgres.password"));
        return ds;
    }

    private MigrateMain() {
    }
}
