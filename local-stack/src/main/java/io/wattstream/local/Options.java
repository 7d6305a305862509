package io.wattstream.local;

import io.wattstream.gateway.GatewaySettings;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import io.wattstream.kit.access.Access;
import io.wattstream.query.QuerySettings;
import io.wattstream.schema.HistorySettings;
import io.wattstream.streams.app.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The local stack's settings: command-line flags first, then the environment (the prototype's
 * {@code .env} names and the services' own), then the defaults of {@link #TABLE}. A setting that is
 * a service's own has that service's key, prefixed with the service's name where only that service
 * reads it ({@code gateway.server.port} is the gateway's {@code server.port}).
 */
public record Options(
        Path dataDir,
        boolean ephemeral,
        int simulate,
        int gatewayPort,
        int queryPort,
        int originPort,
        int connectPort,
        int statePort,
        int notifierPort,
        int kafkaPort,
        int postgresPort,
        String postgresDb,
        String postgresUser,
        String postgresPassword,
        String rawTopic,
        double thresholdW,
        Duration offlineAfter,
        Duration commitInterval,
        boolean uncommittedReadings,
        String adminToken,
        boolean openReads,
        String deviceTokens,
        HistorySettings history,
        boolean help) {

    /** Never the admin token, the device tokens or the database password. */
    @Override
    public String toString() {
        return "Options[dataDir=" + dataDir + ", ephemeral=" + ephemeral + ", ports=" + ports() + ", openReads=" + openReads + "]";
    }

    /** A named port with the flag and variable that change it, for clear "port in use" errors. */
    public record PortSetting(String part, int port, String flag, String env) {
    }

    /** A command-line flag for a setting, with the placeholder its help shows. */
    private record Flag(String name, String placeholder) {
    }

    /** Every setting of the local stack. */
    public static final SettingsTable TABLE = SettingsTable.of("local-stack", List.of(
            Setting.of("WATTSTREAM_DATA_DIR", "local.data-dir", "data",
                    "data directory (PostgreSQL, Kafka, Streams state)"),
            Setting.of("SIMULATE", "local.simulate", "0", "simulated Shelly Pro 1PM devices posting to the gateway"),
            Setting.of("GATEWAY_PORT", "gateway.server.port", "8080", "webhook gateway"),
            Setting.of("QUERY_PORT", "query.server.port", "8081", "query API and dashboard"),
            Setting.of("ORIGIN_PORT", "origin.port", "8000",
                    "one origin like the prototype's: webhook, API, OpenAPI and dashboard on one port"),
            Setting.of("CONNECT_PORT", "connect.port", "8083", "Kafka Connect REST"),
            Setting.of("STATE_PORT", "streams.server.port", "8084", "stream processor /state"),
            Setting.of("NOTIFIER_PORT", "notifier.server.port", "8085", "notifier /deliveries"),
            Setting.of("KAFKA_PORT", "kafka.port", "9092", "Kafka broker"),
            SharedSettings.POSTGRES_PORT.withDefault("5433"),
            SharedSettings.POSTGRES_DB,
            SharedSettings.POSTGRES_USER,
            SharedSettings.POSTGRES_PASSWORD.withDefault("wattstream"),
            SharedSettings.KAFKA_TOPIC,
            // The stream processor's own: the default is the one it applies.
            StreamsSettings.TABLE.setting("app.alert.threshold-w").orElseThrow(),
            StreamsSettings.TABLE.setting("app.offline-after").orElseThrow(),
            StreamsSettings.TABLE.setting("app.commit-interval").orElseThrow(),
            // The query API's: whether the live feed waits for the stream processor's commits.
            QuerySettings.TABLE.setting("app.sse.uncommitted-readings").orElseThrow(),
            // Empty: a token generated on the first start and kept in the data directory (mode 600).
            Access.ADMIN_TOKEN,
            // A stack on a developer's machine: the dashboard reads without a login, writes need the admin token.
            Access.OPEN_READS.withDefault("true"),
            // The gateway's own: devices then send ?token= or Authorization: Bearer (the simulator's too).
            GatewaySettings.TABLE.setting("app.tokens").orElseThrow()),
            // The history maintenance runs in the stack, with a deployment's settings.
            HistorySettings.SETTINGS);

    /** The flag of each setting, in help order. */
    private static final Map<String, Flag> FLAGS = flags(
            "local.data-dir", "--data-dir DIR",
            "local.simulate", "--simulate N",
            "gateway.server.port", "--gateway-port P",
            "query.server.port", "--query-port P",
            "origin.port", "--origin-port P",
            "connect.port", "--connect-port P",
            "streams.server.port", "--state-port P",
            "notifier.server.port", "--notifier-port P",
            "kafka.port", "--kafka-port P",
            "app.postgres.port", "--postgres-port P",
            "app.postgres.db", "--postgres-db NAME",
            "app.postgres.user", "--postgres-user NAME",
            "app.postgres.password", "--postgres-password S",
            "app.raw-topic", "--raw-topic NAME",
            "app.alert.threshold-w", "--threshold-w W",
            "app.offline-after", "--offline-after D",
            "app.commit-interval", "--commit-interval D",
            "app.auth.open-reads", "--open-reads BOOL");

    public static final String USAGE = usage();

    public static Options parse(String[] args, Map<String, String> env) {
        Map<String, String> given = new HashMap<>();
        boolean ephemeral = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--ephemeral" -> ephemeral = true;
                case "--help", "-h" -> help = true;
                default -> {
                    if (!arg.startsWith("--")) {
                        throw new IllegalArgumentException("unexpected argument '" + arg + "' (see --help)");
                    }
                    String name = arg;
                    String value;
                    int eq = arg.indexOf('=');
                    if (eq > 0) {
                        name = arg.substring(0, eq);
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException("option " + arg + " needs a value (see --help)");
                    }
                    given.put(keyOf(name), value);
                }
            }
        }
        Map<String, String> values = new HashMap<>(TABLE.fromEnvironment(env));
        values.putAll(given);
        // Plain values, no Helidon config: nothing may start logging before Main has named the log file.
        // Errors name what the user typed: the flag when it was given, else the variable.
        return read(TABLE.reader(values, s -> given.containsKey(s.key()) ? FLAGS.get(s.key()).name() : s.env()),
                ephemeral, help);
    }

    /** Reads every setting of {@link #TABLE} through {@code r}. */
    static Options read(SettingsReader r, boolean ephemeral, boolean help) {
        double threshold = r.number("app.alert.threshold-w");
        r.require(threshold > 0 && threshold <= 100_000, "app.alert.threshold-w", "must be in (0, 100000] W", threshold);
        Duration offlineAfter = r.duration("app.offline-after");
        r.require(offlineAfter.isPositive(), "app.offline-after", "must be positive", offlineAfter);
        Duration commitInterval = r.duration("app.commit-interval");
        r.require(commitInterval.isPositive(), "app.commit-interval", "must be positive", commitInterval);
        return new Options(
                Path.of(r.string("local.data-dir")).toAbsolutePath(),
                ephemeral,
                r.integer("local.simulate", 0, 1000),
                port(r, "gateway.server.port"),
                port(r, "query.server.port"),
                port(r, "origin.port"),
                port(r, "connect.port"),
                port(r, "streams.server.port"),
                port(r, "notifier.server.port"),
                port(r, "kafka.port"),
                port(r, "app.postgres.port"),
                r.string("app.postgres.db"),
                r.string("app.postgres.user"),
                r.string("app.postgres.password"),
                r.string("app.raw-topic"),
                threshold,
                offlineAfter,
                commitInterval,
                r.bool("app.sse.uncommitted-readings"),
                r.string("app.auth.admin-token"),
                r.bool("app.auth.open-reads"),
                r.string("app.tokens"),
                HistorySettings.from(r),
                help);
    }

    /** Every port the stack binds, in start order. */
    public List<PortSetting> ports() {
        return List.of(
                portSetting("PostgreSQL", postgresPort, "app.postgres.port"),
                portSetting("Kafka", kafkaPort, "kafka.port"),
                portSetting("Kafka Connect REST", connectPort, "connect.port"),
                portSetting("stream processor /state", statePort, "streams.server.port"),
                portSetting("notifier", notifierPort, "notifier.server.port"),
                portSetting("gateway", gatewayPort, "gateway.server.port"),
                portSetting("query API", queryPort, "query.server.port"),
                portSetting("one origin", originPort, "origin.port"));
    }

    private static PortSetting portSetting(String part, int port, String key) {
        return new PortSetting(part, port, FLAGS.get(key).name(), TABLE.setting(key).orElseThrow().env());
    }

    private static int port(SettingsReader r, String key) {
        return r.integer(key, 0, 65535);
    }

    private static String keyOf(String flag) {
        return FLAGS.entrySet().stream().filter(e -> e.getValue().name().equals(flag)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown option " + flag + " (see --help)"));
    }

    private static Map<String, Flag> flags(String... keyAndFlag) {
        Map<String, Flag> out = new LinkedHashMap<>();
        for (int i = 0; i < keyAndFlag.length; i += 2) {
            String[] parts = keyAndFlag[i + 1].split(" ");
            out.put(keyAndFlag[i], new Flag(parts[0], parts[1]));
        }
        return out;
    }

    private static String usage() {
        StringBuilder b = new StringBuilder("Usage: ./wattstream [options]   (or java -jar local-stack/target/wattstream-local.jar [options] with a JDK 21+)\n\n");
        b.append(line("--ephemeral", "use a temporary data directory, removed on exit"));
        FLAGS.forEach((key, flag) -> {
            Setting s = TABLE.setting(key).orElseThrow();
            String dflt = s.defaultValue().isEmpty() ? "" : "default " + s.defaultValue() + ", ";
            b.append(line(flag.name() + " " + flag.placeholder(), s.description() + " (" + dflt + "env " + s.env() + ")"));
        });
        Set<String> history = HistorySettings.SETTINGS.stream().map(Setting::key).collect(Collectors.toSet());
        for (Setting s : TABLE.settings()) {
            // Secrets (never on a command line, where ps shows them); the history settings have their own list below.
            if (!FLAGS.containsKey(s.key()) && !history.contains(s.key())) {
                b.append(line("(environment)", s.description() + " (env " + s.env() + ")"));
            }
        }
        b.append(line("--help", "this text"));
        b.append("\n  History retention and maintenance, from the environment as in a deployment:\n");
        HistorySettings.SETTINGS.forEach(s -> b.append(line("", s.description() + " (default " + s.defaultValue()
                + ", env " + s.env() + ")")));
        b.append("""

                Usage: java -jar local-stack/target/wattstream-local.jar replay --from TIME [options]

                  recomputes readings, alerts and aggregates from TIME (a date or an ISO-8601 UTC time,
                  rounded down to the hour) in the running local stack, with its current rules and device
                  registry; the port and database options above say where it runs
                """);
        return b.toString();
    }

    private static String line(String flag, String text) {
        return String.format(Locale.ROOT, "  %-23s%s%n", flag, text);
    }
}
