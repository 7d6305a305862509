package io.wattstream.local;

import io.wattstream.schema.ReadOnlyRole;
import io.wattstream.streams.replay.ReplayMain;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;

/**
 * {@code java -jar wattstream-local.jar [options]}: starts the whole stack, prints where everything
 * is, and stops it in order on Ctrl-C or SIGTERM. {@code ... replay --from TIME [options]} recomputes
 * history in a running local stack (found by the same port and database options).
 */
public final class Main {

    public static void main(String[] args) throws InterruptedException {
        // Before anything touches java.util.logging: Helidon logs through JUL, routed to log4j2 here.
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        // log4j's own notices (e.g. that the JUL bridge ignores a handler Helidon adds) are not for users.
        System.setProperty("log4j2.statusLoggerLevel", "ERROR");
        PrintStream out = System.out;
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(replay(java.util.Arrays.copyOfRange(args, 1, args.length), out));
            return;
        }
        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("wattstream-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return;
        }
        Path logFile = logFile(options);
        out.println("Wattstream local stack, data in " + (options.ephemeral() ? "a temporary directory" : options.dataDir()));
        LocalStack stack;
        try {
            stack = LocalStack.start(options, out);
        } catch (LocalStack.PortInUseException e) {
            System.err.println("wattstream-local: " + e.getMessage());
            LogManager.shutdown();
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println("wattstream-local: start-up failed: " + e.getMessage());
            e.printStackTrace();
            LogManager.shutdown();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nStopping Wattstream (every part in order) ...");
            stack.close();
            out.println("Stopped.");
            LogManager.shutdown();
            stopped.countDown();
        }, "wattstream-shutdown"));
        out.println("  full log in " + logFile);
        out.print(banner(stack, options));
        out.flush();
        HeapTrim.afterStart(); // after the banner: the user need not wait for it
        stopped.await();
    }

    /**
     * The full log's file, named before the first logger exists: under the data directory, or a
     * temporary file (kept after exit, for a look at what happened) for an ephemeral run.
     */
    private static Path logFile(Options options) {
        try {
            Path file = options.ephemeral()
                    ? Files.createTempFile("wattstream-local-", ".log")
                    : Files.createDirectories(options.dataDir().resolve("logs")).resolve("wattstream.log");
            System.setProperty("wattstream.log.file", file.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log file under " + options.dataDir(), e);
        }
    }

    /** The replay against the local stack that the same options (ports, database) describe. */
    static int replay(String[] args, PrintStream out) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        java.util.List<String> from = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--from") && i + 1 < args.length) {
                from.add(args[i]);
                from.add(args[++i]);
            } else if (args[i].startsWith("--from=")) {
                from.add(args[i]);
            } else {
                rest.add(args[i]);
            }
        }
        Options o;
        try {
            o = Options.parse(rest.toArray(String[]::new), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("wattstream-local replay: " + e.getMessage());
            return 2;
        }
        if (System.getProperty("wattstream.log.file") == null) {
            // Beside the stack's own log, before the first logger exists.
            System.setProperty("wattstream.log.file", o.dataDir().resolve("logs").resolve("replay.log").toString());
        }
        // The stack's own parts, over whatever else the environment sets for the stream processor.
        java.util.Map<String, String> stack = java.util.Map.of("app.kafka.bootstrap", "127.0.0.1:" + o.kafkaPort(),
                "app.raw-topic", o.rawTopic(), "app.alert.threshold-w", Double.toString(o.thresholdW()),
                "app.postgres.host", "127.0.0.1", "app.postgres.port", Integer.toString(o.postgresPort()),
                "app.postgres.db", o.postgresDb(), "app.postgres.user", o.postgresUser(),
                "app.postgres.password", o.postgresPassword());
        io.helidon.config.Config config = io.helidon.config.Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(io.helidon.config.ConfigSources.create(stack),
                        io.helidon.config.ConfigSources.create(ReplayMain.TABLE.fromEnvironment(System.getenv())))
                .build();
        return ReplayMain.run(from.toArray(String[]::new), config, out);
    }

    static String banner(LocalStack s, Options o) {
        String gw = s.gatewayUrl();
        String q = s.queryUrl();
        String raw = s.rawTopic();
        String kafka = s.bootstrapServers();
        return String.format(Locale.ROOT, """

                Wattstream is ready in %.1f s.

                  One origin       %s/   (webhook, API and dashboard on one port, as the prototype)
                  Dashboard        %s/
                  Query API        %s/api/measurements/   (latest: /api/measurements/latest/, OpenAPI: /openapi)
                  Webhook          %s/webhook/
                  Live feed (SSE)  %s/api/stream
                  Stream state     %s/state/devices
                  Notifier         %s/deliveries   (channels and routes: /api/notifications/channels/, /api/notifications/routes/)
                  Kafka Connect    %s/connectors
                  Kafka            %s   (topics %s, shelly.readings, shelly.alerts, shelly.readings.1m/.1h/.1d, shelly.dlq, shelly.devices)
                  PostgreSQL       %s   (user %s)
                  BI (read-only)   PGPASSWORD="$(cat %s)" psql -h 127.0.0.1 -p %d -U %s %s

                Admin token      %s   (%s; send it as Authorization: Bearer, or log in on the dashboard)
                Reads            %s

                Send a reading in each shape the gateway takes:
                  curl -X POST %s/webhook/ -H 'Content-Type: application/json' -d '{"power":120.5,"voltage":230.1,"current":0.52,"energy":10.2}'
                  curl '%s/webhook/?power=100.3&voltage=230.0&current=0.43&energy=8.9'
                  curl -X POST %s/webhook/shellypro1pm-a8032ab1c2d3 -H 'Content-Type: application/json' -d '{"src":"shellypro1pm-a8032ab1c2d3","switch:0":{"apower":3590.0,"voltage":230.2,"current":15.61,"aenergy":{"total":152341.0}}}'
                  curl -X POST %s/webhook/ -H 'Content-Type: application/json' -d '{"src":"shellypro1pm-a8032ab1c2d3","method":"NotifyFullStatus","params":{"switch:0":{"apower":3590.0,"voltage":230.2,"current":15.61,"aenergy":{"total":152341.0}}}}'
                  curl -X POST %s/webhook/ -H 'Content-Type: application/json' -d '{"src":"shellypro1pm-a8032ab1c2d3","method":"NotifyStatus","params":{"switch:0":{"apower":3604.9}}}'
                  curl "%s/webhook/?device=shellypro1pm-a8032ab1c2d3&apower=3598.2&voltage=229.8&current=15.66&energy=152401.1&ts=$(date +%%s)"
                  curl -X POST %s/webhook/ -H 'Content-Type: application/json' -d '[{"device_id":"bay-1","power":10,"voltage":230,"current":0.05,"energy":1},{"device_id":"bay-2","power":20,"voltage":230,"current":0.09,"energy":2}]'

                Subscribe to the topics:
                  kcat -b %s -C -t shelly.readings -o end
                  kcat -b %s -C -t shelly.alerts -o beginning -e
                  curl -N %s/api/stream          (Server-Sent Events: reading and alert events)
                %s
                Press Ctrl-C to stop.
                """,
                s.readySeconds(), s.originUrl(), q, q, gw, q, s.stateUrl(), s.notifierUrl(), s.connectUrl(), kafka, raw,
                s.postgres().jdbcUrl(), s.postgres().user(), s.readOnlyPasswordFile(), s.postgres().port(), ReadOnlyRole.NAME,
                s.postgres().database(), s.adminToken(),
                s.adminTokenFile() == null ? "from AUTH_ADMIN_TOKEN" : "kept in " + s.adminTokenFile() + ", mode 600",
                o.openReads() ? "open (AUTH_OPEN_READS=false: reads need a viewer token or a login)" : "need a viewer token or a login",
                gw, gw, gw, gw, gw, gw, gw, kafka, kafka, q,
                o.simulate() > 0 ? "\n" + o.simulate() + " simulated devices are posting readings every 2 s.\n" : "");
    }

    private Main() {
    }
}
