package io.wattstream.schema;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * Applies the migrations to the database named by the prototype's variables ({@code POSTGRES_HOST},
 * {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD});
 * run by the deployment's one-shot {@code connect-init} before the connectors are applied.
 */
public final class MigrateMain {

    public static void main(String[] args) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {env("POSTGRES_HOST", "127.0.0.1")});
        ds.setPortNumbers(new int[] {Integer.parseInt(env("POSTGRES_PORT", "5432"))});
        ds.setDatabaseName(env("POSTGRES_DB", "wattstream"));
        ds.setUser(env("POSTGRES_USER", "wattstream"));
        ds.setPassword(env("POSTGRES_PASSWORD", ""));
        int applied = Migrations.apply(ds).migrationsExecuted;
        System.out.println("migrations applied: " + applied);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private MigrateMain() {
    }
}
