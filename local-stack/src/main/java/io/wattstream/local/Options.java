package io.wattstream.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * The local stack's settings: command-line flags first, then the environment (the prototype's
 * {@code .env} names and the services' own), then defaults.
 */
public record Options(
        Path dataDir,
        boolean ephemeral,
        int simulate,
        int gatewayPort,
        int queryPort,
        int connectPort,
        int statePort,
        int kafkaPort,
        int postgresPort,
        String postgresDb,
        String postgresUser,
        String postgresPassword,
        String rawTopic,
        double thresholdW,
        boolean help) {

    /** A named port with the flag and variable that change it, for clear "port in use" errors. */
    public record PortSetting(String part, int port, String flag, String env) {
    }

    public static final String USAGE = """
            Usage: ./wattstream [options]   (or java -jar local-stack/target/wattstream-local.jar [options] with a JDK 21+)

              --data-dir DIR         keep data (PostgreSQL, Kafka, Streams state) under DIR (default ./data)
              --ephemeral            use a temporary data directory, removed on exit
              --simulate N           start N simulated Shelly Pro 1PM devices posting to the gateway
              --gateway-port P       webhook gateway (default 8080, env GATEWAY_PORT)
              --query-port P         query API and dashboard (default 8081, env QUERY_PORT)
              --connect-port P       Kafka Connect REST (default 8083, env CONNECT_PORT)
              --state-port P         stream processor /state (default 8084, env STATE_PORT)
              --kafka-port P         Kafka broker (default 9092, env KAFKA_PORT)
              --postgres-port P      PostgreSQL (default 5433, env POSTGRES_PORT)
              --postgres-db NAME     database (default wattstream, env POSTGRES_DB)
              --postgres-user NAME   user (default wattstream, env POSTGRES_USER)
              --postgres-password S  password (default wattstream, env POSTGRES_PASSWORD)
              --threshold-w W        default power alert threshold (default 3500, env ALERT_THRESHOLD)
              --help                 this text

            Usage: java -jar local-stack/target/wattstream-local.jar replay --from TIME [options]

              recomputes readings, alerts and aggregates from TIME (a date or an ISO-8601 UTC time,
              rounded down to the hour) in the running local stack, with its current rules and device
              registry; the port and database options above say where it runs
            """;

    public static Options parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new java.util.HashMap<>();
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
                    if (!KNOWN.contains(name)) {
                        throw new IllegalArgumentException("unknown option " + name + " (see --help)");
                    }
                    flags.put(name, value);
                }
            }
        }
        return new Options(
                Path.of(pick(flags, "--data-dir", env, "WATTSTREAM_DATA_DIR", "data")).toAbsolutePath(),
                ephemeral,
                intOf("--simulate", pick(flags, "--simulate", env, "SIMULATE", "0"), 0, 1000),
                port(flags, "--gateway-port", env, "GATEWAY_PORT", 8080),
                port(flags, "--query-port", env, "QUERY_PORT", 8081),
                port(flags, "--connect-port", env, "CONNECT_PORT", 8083),
                port(flags, "--state-port", env, "STATE_PORT", 8084),
                port(flags, "--kafka-port", env, "KAFKA_PORT", 9092),
                port(flags, "--postgres-port", env, "POSTGRES_PORT", 5433),
                pick(flags, "--postgres-db", env, "POSTGRES_DB", "wattstream"),
                pick(flags, "--postgres-user", env, "POSTGRES_USER", "wattstream"),
                pick(flags, "--postgres-password", env, "POSTGRES_PASSWORD", "wattstream"),
                pick(flags, "--raw-topic", env, "KAFKA_TOPIC", "shelly.readings.raw"),
                threshold(pick(flags, "--threshold-w", env, "ALERT_THRESHOLD", "3500")),
                help);
    }

    /** Every port the stack binds, in start order. */
    public java.util.List<PortSetting> ports() {
        return java.util.List.of(
                new PortSetting("PostgreSQL", postgresPort, "--postgres-port", "POSTGRES_PORT"),
                new PortSetting("Kafka", kafkaPort, "--kafka-port", "KAFKA_PORT"),
                new PortSetting("Kafka Connect REST", connectPort, "--connect-port", "CONNECT_PORT"),
                new PortSetting("stream processor /state", statePort, "--state-port", "STATE_PORT"),
                new PortSetting("gateway", gatewayPort, "--gateway-port", "GATEWAY_PORT"),
                new PortSetting("query API", queryPort, "--query-port", "QUERY_PORT"));
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("--data-dir", "--simulate", "--gateway-port",
            "--query-port", "--connect-port", "--state-port", "--kafka-port", "--postgres-port", "--postgres-db",
            "--postgres-user", "--postgres-password", "--raw-topic", "--threshold-w");

    private static String pick(Map<String, String> flags, String flag, Map<String, String> env, String var, String dflt) {
        String v = flags.get(flag);
        if (v == null || v.isBlank()) {
            v = env.get(var);
        }
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static int port(Map<String, String> flags, String flag, Map<String, String> env, String var, int dflt) {
        return intOf(flag, pick(flags, flag, env, var, Integer.toString(dflt)), 0, 65535);
    }

    private static int intOf(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    private static double threshold(String value) {
        try {
            double v = Double.parseDouble(value);
            if (!(v > 0 && v <= 100_000)) {
                throw new IllegalArgumentException("ALERT_THRESHOLD must be in (0, 100000] W, got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ALERT_THRESHOLD must be a number of watts, got '" + value + "'");
        }
    }
}
