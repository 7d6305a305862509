package io.wattstream.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The read-only role for BI tools and dashboards that migration V4 creates without a login. Giving it
 * one is separate from the migration so the password comes from the environment and can change.
 */
public final class ReadOnlyRole {

    public static final String NAME = "wattstream_readonly";
    /** Where deployments put its password. */
    public static final String PASSWORD_ENV = "POSTGRES_READONLY_PASSWORD";

    /**
     * Lets the role log in with this password. The password is hashed (SCRAM-SHA-256) before it is
     * sent, so it never appears in a statement or a server log.
     */
    public static void enableLogin(DataSource dataSource, String password) throws SQLException {
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException(PASSWORD_ENV + " is empty: the read-only role needs a password to log in");
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("alter role " + NAME + " login");
            c.unwrap(PGConnection.class).alterUserPassword(NAME, password.toCharArray(), "scram-sha-256");
        }
    }

    private ReadOnlyRole() {
    }
}
