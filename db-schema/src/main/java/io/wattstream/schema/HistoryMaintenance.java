package io.wattstream.schema;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the partitioned history in shape by calling the database's own {@code history_maintain}
 * procedure (migration V3): partitions are created ahead of time, strays in the DEFAULT partitions
 * move to partitions of their own, and partitions past their level's retention are dropped after
 * the coarser levels were filled from them. The configured retention is written to
 * {@code history_level} first, where the query API reads it.
 *
 * <p>Any process may run it, several at once too (each step is one short transaction that gives up
 * on a lock it cannot get within {@link HistorySettings#lockWait()}); the deployment runs it in the
 * {@code history-maintenance} service, the local stack in its own JVM.
 */
public final class HistoryMaintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryMaintenance.class);

    private final ScheduledExecutorService timer;

    private HistoryMaintenance(DataSource dataSource, HistorySettings settings) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "history-maintenance");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                run(dataSource, settings);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("History maintenance failed; the next run in {} retries: {}", settings.every(), e.toString());
            }
        }, 0, settings.every().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs now and then every {@link HistorySettings#every()} until closed. */
    public static HistoryMaintenance schedule(DataSource dataSource, HistorySettings settings) {
        return new HistoryMaintenance(dataSource, settings);
    }

    /** One run at the database's own time: what it did, one line per action. */
    public static List<String> run(DataSource dataSource, HistorySettings settings) throws SQLException {
        return run(dataSource, settings, null);
    }

    /** One run as if the time were {@code now} (tests); null for the database's time. */
    public static List<String> run(DataSource dataSource, HistorySettings settings, Instant now) throws SQLException {
        long t0 = System.nanoTime();
        List<String> actions = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // the procedure commits step by step: it must not run inside a transaction
            applyRetention(c, settings);
            try (CallableStatement call = c.prepareCall("call history_maintain(coalesce(?, now()), ?::interval, ?::interval)")) {
                if (now == null) {
                    call.setNull(1, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    call.setObject(1, now.atOffset(ZoneOffset.UTC));
                }
                call.setString(2, interval(settings.ahead()));
                call.setString(3, interval(settings.lockWait()));
                call.execute();
                for (SQLWarning w = call.getWarnings(); w != null; w = w.getNextWarning()) {
                    actions.add(w.getMessage());
                }
            }
        }
        actions.stream().filter(a -> !a.startsWith("partitions created: 0")).forEach(a -> LOG.info("History: {}", a));
        LOG.debug("History maintenance done in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return actions;
    }

    /** Writes the configured retention of every level into {@code history_level}. */
    static void applyRetention(Connection c, HistorySettings settings) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update history_level set keep = ?::interval where level = ?")) {
            for (Map.Entry<String, Optional<Duration>> e : settings.byLevel().entrySet()) {
                ps.setString(1, e.getValue().map(HistoryMaintenance::interval).orElse(null));
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A duration as a PostgreSQL interval in whole days when it is one ("90 days" reads better than hours). */
    private static String interval(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? d.toDays() + " days" : d.toSeconds() + " seconds";
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
