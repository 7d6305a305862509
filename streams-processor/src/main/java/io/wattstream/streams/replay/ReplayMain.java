package io.wattstream.streams.replay;

import io.helidon.config.Config;
import io.wattstream.kit.ServiceMain;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import io.wattstream.streams.app.StreamsSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code replay --from TIME}: recomputes everything from TIME (rounded down to the hour) with the
 * stream processor's current configuration and the device registry as it is now. Reads the same
 * settings as the stream processor ({@link StreamsSettings#TABLE}) and the database's ({@code POSTGRES_*}).
 */
public final class ReplayMain {

    static final String USAGE = "usage: replay --from TIME   (TIME: 2026-11-01, 2026-11-01T06:00:00Z; rounded down to the hour)";

    /** The replay's settings: the stream processor's, and the database it writes to. */
    public static final SettingsTable TABLE = SettingsTable.of("replay", StreamsSettings.TABLE.settings(),
            SharedSettings.POSTGRES);

    public static void main(String[] args) {
        ServiceMain.setUpLogging();
        Config config = TABLE.load();
        Config.global(config);
        System.exit(run(args, config, System.out));
    }

    /** Runs one replay from its config node (the stream processor's keys and {@code app.postgres.*}); the exit code (0 done, 2 bad arguments, 1 failed). */
    public static int run(String[] args, Config replayConfig, PrintStream out) {
        Instant from;
        try {
            from = from(args);
        } catch (IllegalArgumentException e) {
            out.println("replay: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        Replay.Target target;
        try {
            target = target(TABLE.reader(replayConfig));
        } catch (IllegalArgumentException e) {
            out.println("replay: " + e.getMessage());
            return 2;
        }
        out.println("Replaying from " + Replay.alignedStart(from) + " with the current rules; live processing goes on.");
        try {
            Replay.Result r = new Replay(target, Clock.systemUTC()).run(from);
            out.printf("Replayed %d raw records from %s to %s: wrote %d readings, %d alerts, %d windows, %d session events; "
                            + "removed %d alerts and %d closed sessions first (replay id %s)%n",
                    r.rawRecords(), r.start(), r.end(), r.readings(), r.alerts(), r.windows(), r.sessions(),
                    r.alertsDeleted(), r.sessionsDeleted(), r.id());
            return 0;
        } catch (RuntimeException e) {
            out.println("replay: failed: " + e.getMessage());
            return 1;
        }
    }

    /** Where the replay reads and writes, from every setting of {@link #TABLE}. */
    public static Replay.Target target(SettingsReader r) {
        StreamsSettings settings = StreamsSettings.from(r);
        String url = "jdbc:postgresql://" + r.string("app.postgres.host") + ":" + r.integer("app.postgres.port", 1, 65535)
                + "/" + r.string("app.postgres.db");
        return new Replay.Target(settings.bootstrap(), settings.topology(), url, r.string("app.postgres.user"),
                r.string("app.postgres.password"));
    }

    /** {@code --from} as an instant or a date (midnight UTC). */
    static Instant from(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = a.startsWith("--from=") ? a.substring(7) : a.equals("--from") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null) {
                try {
                    return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                            : Instant.parse(value);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--from must be a date or an ISO-8601 time in UTC, got '" + value + "'");
                }
            }
        }
        throw new IllegalArgumentException("--from is required");
    }

    private ReplayMain() {
    }
}
