package io.wattstream.schema;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the sink tables' SQL migrations ({@code db/migration} on the classpath). Idempotent. */
public final class Migrations {

    public static final String LOCATION = "classpath:db/migration";

    public static MigrateResult apply(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .load()
                .migrate();
    }

    private Migrations() {
    }
}
