package io.wattstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server (zonky binaries) run as a child process of this JVM, with one
 * application database and role (default {@code wattstream}/{@code wattstream}).
 *
 * <p>The data directory either persists (given) or is temporary and deleted by {@link #close()}.
 * {@link #stop()} and {@link #start()} may be repeated on the same port and data. A server left
 * running by a JVM that was killed outright is found through {@code postmaster.pid} and stopped
 * before the new start, so a crash never blocks the next run.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final boolean registerShutdownHook;
    private final Path binariesDir;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(Builder b) {
        this.temporary = b.dataDir == null;
        this.dataDir = temporary ? Dirs.temp("wattstream-pg-") : Dirs.ensure(b.dataDir);
        this.port = b.port == 0 ? Ports.free() : b.port;
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.registerShutdownHook = b.registerShutdownHook;
        this.binariesDir = b.binariesDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a throw-away server on a free port. */
    public static EmbeddedPostgres startEphemeral() {
        return builder().build().start();
    }

    public synchronized EmbeddedPostgres start() {
        if (server != null) {
            return this;
        }
        long t0 = System.nanoTime();
        stopOrphan(dataDir);
        try {
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(registerShutdownHook)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("max_connections", "100");
            if (binariesDir != null) {
                builder.setOverrideWorkingDirectory(Dirs.ensure(binariesDir).toFile());
            }
            if (temporary) {
                // Throw-away data: durability buys nothing, speed does.
                builder.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off");
            }
            server = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on port " + port + " with data in " + dataDir, e);
        }
        ensureDatabase();
        LOG.info("PostgreSQL ready on 127.0.0.1:{} in {} ms (data in {})", port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), dataDir);
        return this;
    }

    /** Stops the server (fast shutdown), keeping its data. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        } finally {
            server = null;
        }
        LOG.info("PostgreSQL on 127.0.0.1:{} stopped", port);
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        stop();
        if (temporary) {
            Dirs.deleteRecursively(dataDir);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A simple (unpooled) data source for the application database as the application role. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Creates the application role and database when missing (first start of a data directory). */
    private void ensureDatabase() {
        try (Connection c = server.getPostgresDatabase().getConnection()) {
            // CREATEROLE: the migrations create the read-only role for BI tools, as the owner of a
            // production database can. Granted to a role from an older data directory as well.
            try (Statement s = c.createStatement()) {
                s.execute(exists(c, "select 1 from pg_roles where rolname = ?", user)
                        ? "alter role " + quoteIdent(user) + " createrole"
                        : "create role " + quoteIdent(user) + " login createrole password " + quoteLiteral(password));
            }
            if (!exists(c, "select 1 from pg_database where datname = ?", database)) {
                try (Statement s = c.createStatement()) {
                    s.execute("create database " + quoteIdent(database) + " owner " + quoteIdent(user));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quoteIdent(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String quoteLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /**
     * A JVM killed with SIGKILL leaves its PostgreSQL child running and holding the data directory.
     * Its pid is the first line of {@code postmaster.pid}; stop it (fast shutdown). Identified by the data
     * directory's own lock file, never by process name alone, so another PostgreSQL is never touched.
     */
    public static void stopOrphan(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan;
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            orphan = lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return; // unreadable lock file: PostgreSQL itself checks and replaces a stale one
        }
        orphan.filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(cmd -> cmd.contains("postgres")).orElse(false))
                .ifPresent(p -> {
                    LOG.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run", p.pid(), dataDir);
                    try {
                        // SIGINT is PostgreSQL's fast shutdown: it aborts the dead clients' sessions and checkpoints.
                        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                        p.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
    }

    /** Settings for {@link EmbeddedPostgres}. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private String database = "wattstream";
        private String user = "wattstream";
        private String password = "wattstream";
        private boolean registerShutdownHook = true;
        private Path binariesDir;

        /** Persistent data directory; without one a temporary directory is used and deleted on close. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Where the PostgreSQL binaries (about 60 MB) are unpacked; without one, {@code embedded-pg} under
         * the system temporary directory, shared by every server of this machine.
         */
        public Builder binariesDir(Path dir) {
            this.binariesDir = dir;
            return this;
        }

        /** Off when the caller stops the server itself in an ordered shutdown. */
        public Builder registerShutdownHook(boolean register) {
            this.registerShutdownHook = register;
            return this;
        }

        public EmbeddedPostgres build() {
            return new EmbeddedPostgres(this);
        }
    }
}
