package io.wattstream.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Runs the history maintenance for ever (the deployment's {@code history-maintenance} service): now,
 * then every {@code MAINTENANCE_EVERY}, against the database {@link MigrateMain} migrates, with its
 * settings. A failed
 * run (the database restarting) is reported and retried at the next interval. What each run did goes
 * to standard output; each successful run touches {@value #HEALTH_FILE}, which the deployment's
 * healthcheck reads.
 */
public final class MaintainMain {

    /** Touched after each successful run. */
    public static final String HEALTH_FILE = "/tmp/history-maintenance.ok";

    public static void main(String[] args) {
        MigrateMain.Run run = MigrateMain.read(MigrateMain.TABLE.reader(MigrateMain.TABLE.load()));
        HistorySettings settings = run.history();
        DataSource ds = run.database();
        System.out.println("history maintenance every " + settings.every() + ", partitions " + settings.ahead()
                + " ahead; retention " + settings.byLevel());
        while (true) {
            try {
                HistoryMaintenance.run(ds, settings).forEach(a -> System.out.println(Instant.now() + " " + a));
                Files.writeString(Path.of(HEALTH_FILE), Instant.now() + "\n");
            } catch (Exception e) {
                System.err.println(Instant.now() + " history maintenance failed, retried in " + settings.every() + ": " + e);
            }
            LockSupport.parkNanos(settings.every().toNanos());
        }
    }

    private MaintainMain() {
    }
}
