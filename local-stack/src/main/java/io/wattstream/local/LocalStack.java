package io.wattstream.local;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.embedded.harness.SinkInstaller;
import io.wattstream.gateway.GatewayApp;
import io.wattstream.kit.Durations;
import io.wattstream.kit.http.OriginProxy;
import io.wattstream.model.Topics;
import io.wattstream.notifier.NotifierApp;
import io.wattstream.query.QueryApp;
import io.wattstream.schema.HistoryMaintenance;
import io.wattstream.schema.ReadOnlyRole;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.streams.app.StreamsApp;

/**
 * The whole of Wattstream in this JVM on embedded parts: PostgreSQL, a KRaft broker with the
 * pipeline's topics, a Connect worker with the sink connectors, the stream processor, the gateway and
 * the query API with the dashboard. Parts start in dependency order and stop in reverse order, so
 * everything the gateway acknowledged is in Kafka, and everything in Kafka is processed and stored
 * on the next start.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration WAIT = Infrastructure.WAIT;
    /** Longest wait for one part to stop; all six together stay well under a minute in practice. */
    static final Duration PART_STOP = Duration.ofSeconds(20);
    private static final String LOOPBACK = "127.0.0.1";
    /**
     * Static group member names of the stream processor (Kafka Streams adds the thread's number) and the
     * notifier: the one instance of each per data directory, so after a kill -9 each takes its
     * partitions back at once instead of waiting out the dead process's group session (45 s).
     */
    static final String STREAMS_INSTANCE = "wattstream-local-streams";
    static final String NOTIFIER_INSTANCE = "wattstream-local-notifier";
    /** Session of the sink tasks' consumers; heartbeats go every 3 s from their own thread. */
    private static final Duration SINK_SESSION = Duration.ofSeconds(10);
    /** Devices push to the gateway and people open the dashboard from other machines. */
    private static final String ALL_INTERFACES = "0.0.0.0";

    /** Thrown for a port that is already taken, with the one line a user needs. */
    public static final class PortInUseException extends RuntimeException {
        PortInUseException(Options.PortSetting p) {
            super(String.format(Locale.ROOT, "port %d (%s) is already in use: choose another with %s or %s",
                    p.port(), p.part(), p.flag(), p.env()));
        }
    }

    private record Part(String name, AutoCloseable resource) {
    }

    private final Options options;
    private final Path dataDir;
    private final PrintStream out;
    private final Deque<Part> started = new ArrayDeque<>();
    private final long startNanos = System.nanoTime();
    private EmbeddedPostgres postgres;
    private EmbeddedKafka kafka;
    private EmbeddedConnect connect;
    private StreamsApp streams;
    private GatewayApp gateway;
    private NotifierApp notifier;
    private QueryApp query;
    private String adminToken;
    private OriginProxy origin;
    private Simulator simulator;
    private double readySeconds;
    private Path readOnlyPassword;

    private LocalStack(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.dataDir = options.ephemeral() ? Dirs.temp("wattstream-local-") : Dirs.ensure(options.dataDir());
    }

    /** Starts every part, printing progress to {@code out}; on failure stops what started and rethrows. */
    public static LocalStack start(Options options, PrintStream out) {
        if (!options.ephemeral()) {
            // After a SIGKILL of this JVM its PostgreSQL keeps running and holds the port: stop it first.
            EmbeddedPostgres.stopOrphan(options.dataDir().resolve("postgres"));
        }
        for (Options.PortSetting p : options.ports()) {
            if (p.port() != 0 && Ports.inUse(ALL_INTERFACES, p.port())) {
                throw new PortInUseException(p);
            }
        }
        LocalStack stack = new LocalStack(options, out);
        // Ctrl-C or SIGTERM during start-up: stop what already started. PostgreSQL runs in its own
        // processes and would otherwise outlive this JVM.
        Thread abort = new Thread(stack::close, "wattstream-abort-start");
        Runtime.getRuntime().addShutdownHook(abort);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(abort);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running
            }
        }
    }

    /**
     * Parts that need nothing of each other start side by side, in three waves: PostgreSQL with the
     * broker; Connect with the stream processor and the history maintenance; the HTTP services. Each
     * wave waits for all of its parts, so a failure stops only what fully started (see {@link #close()}).
     */
    private void startAll() {
        together(
                () -> postgres = step("PostgreSQL", () -> Infrastructure.postgres(EmbeddedPostgres.builder()
                        .dataDir(dataDir.resolve("postgres"))
                        .binariesDir(binariesDir())
                        .port(options.postgresPort())
                        .database(options.postgresDb())
                        .user(options.postgresUser())
                        .password(options.postgresPassword())
                        .registerShutdownHook(false))),
                () -> kafka = step("Kafka broker", () -> Infrastructure.kafka(EmbeddedKafka.builder()
                        .dataDir(dataDir.resolve("kafka"))
                        .port(options.kafkaPort()), options.rawTopic(), Topics.DEFAULT_PARTITIONS)));
        together(
                () -> connect = step("Kafka Connect + sink connectors", () -> SinkInstaller.start(SinkInstaller.worker(kafka, postgres)
                        .host(LOOPBACK)
                        .port(options.connectPort())
                        .groupId("wattstream-local-connect")
                        // The sink tasks' consumers: after a kill -9, the dead worker's members leave their
                        // groups after this long (default 45 s), and until then no row is written.
                        .config("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(SINK_SESSION.toMillis())), WAIT)),
                () -> step("history maintenance", () -> {
                    readOnlyPassword = ReadOnlyLogin.ensure(dataDir, postgres.dataSource());
                    return HistoryMaintenance.schedule(postgres.dataSource(), options.history());
                }),
                () -> streams = step("stream processor", () -> StreamsApp.start(config(Map.ofEntries(
                        Map.entry("server.host", LOOPBACK),
                        Map.entry("server.port", Integer.toString(options.statePort())),
                        Map.entry("app.kafka.bootstrap", kafka.bootstrapServers()),
                        Map.entry("app.raw-topic", options.rawTopic()),
                        Map.entry("app.state-dir", dataDir.resolve("streams-state").toString()),
                        Map.entry("app.alert.threshold-w", Double.toString(options.thresholdW())),
                        Map.entry("app.offline-after", Durations.format(options.offlineAfter())),
                        Map.entry("app.commit-interval", Durations.format(options.commitInterval())),
                        Map.entry("app.advertised-host", LOOPBACK),
                        Map.entry("app.create-topics", "false"),
                        Map.entry("app.streams." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, STREAMS_INSTANCE)))).awaitRunning(WAIT)));
        adminToken = options.adminToken().isEmpty() ? AdminTokenFile.readOrCreate(dataDir) : options.adminToken();
        together(
                () -> gateway = step("gateway", () -> GatewayApp.start(config(Map.of(
                        "server.host", ALL_INTERFACES,
                        "server.port", Integer.toString(options.gatewayPort()),
                        "app.kafka.bootstrap", kafka.bootstrapServers(),
                        "app.raw-topic", options.rawTopic(),
                        "app.tokens", options.deviceTokens())))),
                () -> {
                    // The query API proxies to the notifier, whose port is known once it is bound.
                    notifier = step("notifier", () -> NotifierApp.start(config(Map.of(
                            "server.host", LOOPBACK,
                            "server.port", Integer.toString(options.notifierPort()),
                            "app.kafka.bootstrap", kafka.bootstrapServers(),
                            "app.kafka.consumer." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, NOTIFIER_INSTANCE))));
                    query = step("query API + dashboard", () -> {
                        QueryApp q = QueryApp.start(config(Map.ofEntries(
                                Map.entry("server.host", ALL_INTERFACES),
                                Map.entry("server.port", Integer.toString(options.queryPort())),
                                Map.entry("app.postgres.jdbc-url", postgres.jdbcUrl()),
                                Map.entry("app.postgres.user", postgres.user()),
                                Map.entry("app.postgres.password", postgres.password()),
                                Map.entry("app.kafka.bootstrap", kafka.bootstrapServers()),
                                Map.entry("app.state.url", "http://" + LOOPBACK + ":" + streams.port()),
                                Map.entry("app.notifier.url", notifierUrl()),
                                Map.entry("app.auth.admin-token", adminToken),
                                Map.entry("app.auth.open-reads", Boolean.toString(options.openReads())),
                                Map.entry("app.sse.uncommitted-readings", Boolean.toString(options.uncommittedReadings())))));
                        Poll.until("the live feed", WAIT, q::liveFeedReady);
                        return q;
                    });
                });
        origin = step("one origin (webhook + API + dashboard)", () -> OriginProxy.start(
                config(Map.of("host", ALL_INTERFACES)), options.originPort(), originRoutes(gatewayUrl(), queryUrl())));
        readySeconds = (System.nanoTime() - startNanos) / 1e9;
        if (options.simulate() > 0) {
            simulator = new Simulator(options.simulate(), gatewayUrl(), queryUrl(), adminToken, options.deviceTokens());
            started.push(new Part("simulator", simulator));
            simulator.start();
        }
    }

    /**
     * The prototype's one port: the webhook to the gateway, everything else (API, OpenAPI, live feed,
     * dashboard) to the query API. The WebSocket stays on the gateway's own port.
     */
    static List<OriginProxy.Route> originRoutes(String gateway, String query) {
        return List.of(new OriginProxy.Route("/webhook", URI.create(gateway)), new OriginProxy.Route("/", URI.create(query)));
    }

    /**
     * Runs the parts side by side, each on its own thread, and returns when all have ended; the first
     * failure is rethrown (the others' added as suppressed) once none is still starting.
     */
    private static void together(Runnable... parts) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("wattstream-start-", 1).factory())) {
            for (Runnable part : parts) {
                running.add(CompletableFuture.runAsync(part, threads));
            }
        }
        RuntimeException failure = null;
        for (CompletableFuture<Void> f : running) {
            try {
                f.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Starts one part and records it for the ordered stop; one progress line when it is ready (parts run side by side). */
    private <T extends AutoCloseable> T step(String name, Supplier<T> starter) {
        long t0 = System.nanoTime();
        T part;
        try {
            part = starter.get();
        } catch (RuntimeException e) {
            out.printf(Locale.ROOT, "  starting %-32s FAILED%n", name + " ...");
            throw e;
        }
        synchronized (this) { // close() may run concurrently from the start-up abort hook
            started.push(new Part(name, part));
        }
        out.printf(Locale.ROOT, "  starting %-32s ready in %5.1f s%n", name + " ...", (System.nanoTime() - t0) / 1e9);
        return part;
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    /**
     * Stops every part in reverse start order, each within {@link #PART_STOP} (a part that does not stop
     * in time is left to the process exit, with a warning, and the next one is stopped); removes the data
     * directory when ephemeral. PostgreSQL, last, runs in processes of its own and is always asked to stop.
     */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            Part part = started.pop();
            long t0 = System.nanoTime();
            Thread stopper = Thread.ofPlatform().daemon().name("stop-" + part.name()).start(() -> {
                try {
                    part.resource().close();
                } catch (Exception e) {
                    LOG.warn("Stopping {} failed: {}", part.name(), e.toString());
                }
            });
            try {
                if (stopper.join(PART_STOP)) {
                    LOG.info("Stopped {} in {} ms", part.name(), (System.nanoTime() - t0) / 1_000_000);
                } else {
                    LOG.warn("{} did not stop within {} s; going on with the next part", part.name(), PART_STOP.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (options.ephemeral()) {
            Dirs.deleteRecursively(dataDir);
        }
    }

    /** The unpacked PostgreSQL binaries: beside the data, kept across runs (an ephemeral run unpacks its own). */
    public Path binariesDir() {
        return dataDir.resolve("pg-binaries");
    }

    public double readySeconds() {
        return readySeconds;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String gatewayUrl() {
        return "http://" + LOOPBACK + ":" + gatewayPort();
    }

    public int gatewayPort() {
        return gateway.port();
    }

    public String queryUrl() {
        return "http://" + LOOPBACK + ":" + query.port();
    }

    /** The one origin: webhook, API and dashboard on one port, as the prototype served them. */
    public String originUrl() {
        return "http://" + LOOPBACK + ":" + origin.port();
    }

    public String notifierUrl() {
        return "http://" + LOOPBACK + ":" + notifier.port();
    }

    /** The admin token of the query API (writes): the configured one, or the one kept in the data directory. */
    public String adminToken() {
        return adminToken;
    }

    /** Where a generated admin token is kept; null when it was configured. */
    public Path adminTokenFile() {
        return options.adminToken().isEmpty() ? dataDir.resolve(AdminTokenFile.NAME) : null;
    }

    public String stateUrl() {
        return "http://" + LOOPBACK + ":" + streams.port();
    }

    public String connectUrl() {
        return connect.restUrl();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String rawTopic() {
        return options.rawTopic();
    }

    /** The file (mode 600) with the password of the read-only role {@value ReadOnlyRole#NAME}. */
    public Path readOnlyPasswordFile() {
        return readOnlyPassword;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedConnect connect() {
        return connect;
    }

    public StreamsApp streams() {
        return streams;
    }

    public QueryApp query() {
        return query;
    }
}
