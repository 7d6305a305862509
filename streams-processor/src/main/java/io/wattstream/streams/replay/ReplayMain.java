package io.wattstream.streams.replay;

import io.helidon.config.Config;
import io.wattstream.streams.app.AppSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * {@code replay --from TIME}: recomputes everything from TIME (rounded down to the hour) with the
 * stream processor's current configuration and the device registry as it is now. Reads the same
 * settings as the stream processor ({@code application.yaml}, {@code KAFKA_BROKER}, {@code KAFKA_TOPIC},
 * {@code ALERT_THRESHOLD}, ...) and PostgreSQL's {@code POSTGRES_HOST}, {@code POSTGRES_PORT},
 * {@code POSTGRES_DB}, {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}.
 */
public final class ReplayMain {

    static final String USAGE = "usage: replay --from TIME   (TIME: 2026-11-01, 2026-11-01T06:00:00Z; rounded down to the hour)";

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-streams.xml");
        }
        Config config = Config.create();
        Config.global(config);
        System.exit(run(args, config.get("app"), System.getenv(), System.out));
    }

    /** Runs one replay; the exit code (0 done, 2 bad arguments, 1 failed). */
    public static int run(String[] args, Config app, Map<String, String> env, PrintStream out) {
        Instant from;
        try {
            from = from(args);
        } catch (IllegalArgumentException e) {
            out.println("replay: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        AppSettings settings = AppSettings.from(app, env);
        String url = "jdbc:postgresql://" + env.getOrDefault("POSTGRES_HOST", "localhost") + ":"
                + env.getOrDefault("POSTGRES_PORT", "5432") + "/" + env.getOrDefault("POSTGRES_DB", "wattstream");
        Replay.Target target = new Replay.Target(settings.bootstrap(), settings.topology(), url,
                env.getOrDefault("POSTGRES_USER", "wattstream"), env.getOrDefault("POSTGRES_PASSWORD", ""));
        out.println("Replaying from " + Replay.alignedStart(from) + " with the current rules; live processing goes on.");
        try {
            Replay.Result r = new Replay(target, Clock.systemUTC()).run(from);
            out.printf("Replayed %d raw records from %s to %s: wrote %d readings, %d alerts, %d windows; "
                            + "removed %d alerts first (replay id %s)%n",
                    r.rawRecords(), r.start(), r.end(), r.readings(), r.alerts(), r.windows(), r.alertsDeleted(), r.id());
            return 0;
        } catch (RuntimeException e) {
            out.println("replay: failed: " + e.getMessage());
            return 1;
        }
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
