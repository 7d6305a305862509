package io.wattstream.query.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the retention of each history level from {@code history_level}, where the history
 * maintenance writes the configured values, so the API tells what is actually kept. Kept for a
 * minute: retention changes when the maintenance is reconfigured, not per request.
 */
public final class RetentionRepository {

    static final Duration TTL = Duration.ofMinutes(1);
    /** PostgreSQL's "undefined table": a schema from before partitioned history has no retention. */
    private static final String UNDEFINED_TABLE = "42P01";

    private final Database db;
    private final Clock clock;
    private Retention cached;
    private Instant expires = Instant.MIN;

    public RetentionRepository(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public synchronized Retention current() throws SQLException {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(expires)) {
            cached = read();
            expires = now.plus(TTL);
        }
        return cached;
    }

    private Retention read() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "select level, extract(epoch from keep)::bigint from history_level where keep is not null");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Duration> keep = new HashMap<>();
            while (rs.next()) {
                keep.put(rs.getString(1), Duration.ofSeconds(rs.getLong(2)));
            }
            return new Retention(keep);
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                return Retention.FOREVER;
            }
            throw e;
        }
    }
}
