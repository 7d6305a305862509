package io.wattstream.query.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import io.wattstream.query.QuerySettings;

/** The connection pool. Starts even when PostgreSQL is down; requests then get a fast 503. */
public final class Database implements AutoCloseable {

    private final HikariDataSource pool;

    public Database(QuerySettings cfg) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("query-api-db");
        h.setJdbcUrl(cfg.jdbcUrl());
        h.setUsername(cfg.dbUser());
        h.setPassword(cfg.dbPassword());
        h.setMaximumPoolSize(cfg.poolSize());
        h.setMinimumIdle(Math.min(2, cfg.poolSize()));
        // A dead database must cost a request about a second, not Hikari's default 30 s.
        h.setConnectionTimeout(cfg.connectionTimeout().toMillis());
        h.setValidationTimeout(Math.min(500, cfg.connectionTimeout().toMillis()));
        h.setInitializationFailTimeout(-1); // start now, connect when PostgreSQL is there
        h.setReadOnly(true);
        h.addDataSourceProperty("connectTimeout", "2");
        h.addDataSourceProperty("socketTimeout", "60");
        h.addDataSourceProperty("tcpKeepAlive", "true");
        h.addDataSourceProperty("ApplicationName", "wattstream-query-api");
        // A runaway query must not hold a pooled connection for ever.
        h.addDataSourceProperty("options", "-c statement_timeout=30000");
        pool = new HikariDataSource(h);
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** True when a connection can be had and answers within a second. */
    public boolean reachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
