package io.wattstream.embedded;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka Connect worker (distributed mode, one member) inside this JVM, with every plugin on
 * the JVM's classpath found through {@code ServiceLoader} (no directory scan: REST is up in ~2.5 s).
 *
 * <p>Its config, offset and status topics live on the given broker under the group id, so
 * {@link #stop()} followed by {@link #start()} brings the same connectors back on the same port.
 * Connector configs may say {@code ${env:NAME}}: values given with {@link Builder#env} win over the
 * process environment (see {@link OverridableEnvConfigProvider}). Source topics written with
 * exactly-once are read with {@code read_committed}.
 *
 * <p>With {@link Builder#restartFailedTasksEvery} the worker restarts failed connectors and tasks by
 * itself, as an operator's supervisor would: a sink whose database was away longer than its own
 * retries cover then resumes from its last committed offsets.
 */
public final class EmbeddedConnect implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnect.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final String host;
    private final int port;
    private final String groupId;
    private final Map<String, String> env;
    private final Map<String, String> overrides;
    private final Duration restartFailedEvery;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Connect<?> connect;
    private ScheduledExecutorService supervisor;

    private EmbeddedConnect(Builder b) {
        if (b.bootstrapServers == null) {
            throw new IllegalArgumentException("bootstrapServers is required");
        }
        this.bootstrapServers = b.bootstrapServers;
        this.host = b.host;
        this.port = b.port == 0 ? Ports.free() : b.port;
        this.groupId = b.groupId;
        this.env = Map.copyOf(b.env);
        this.overrides = Map.copyOf(b.overrides);
        this.restartFailedEvery = b.restartFailedEvery;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the worker and waits until it reports itself healthy (REST up, group joined, configs read). */
    public synchronized EmbeddedConnect start() {
        if (connect != null) {
            return this;
        }
        if (Ports.inUse(host, port)) {
            throw new IllegalStateException("Kafka Connect REST port " + host + ":" + port + " is already in use");
        }
        long t0 = System.nanoTime();
        connect = startWithoutItsShutdownHook(workerConfig());
        awaitRest(Duration.ofSeconds(60));
        if (restartFailedEvery != null) {
            supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "connect-supervisor-" + port);
                t.setDaemon(true);
                return t;
            });
            long ms = restartFailedEvery.toMillis();
            supervisor.scheduleWithFixedDelay(this::restartFailed, ms, ms, TimeUnit.MILLISECONDS);
        }
        LOG.info("Kafka Connect worker ready on {} in {} ms (group {})", restUrl(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), groupId);
        return this;
    }

    /**
     * Connect registers a JVM shutdown hook of its own that stops the worker. In a JVM that stops its
     * parts in order, that hook races the ordered stop: it can still be waiting for the group
     * coordinator after the broker is gone, and the JVM never exits. The owner stops the worker itself,
     * so that one hook is left out (Kafka's documented seam for it; every other hook is added as usual).
     */
    private static Connect<?> startWithoutItsShutdownHook(Map<String, String> config) {
        synchronized (Exit.class) {
            Exit.setShutdownHookAdder((name, hook) -> {
                if (!"connect-shutdown-hook".equals(name)) {
                    Runtime.getRuntime().addShutdownHook(new Thread(hook, name));
                }
            });
            try {
                return new ConnectDistributed().startConnect(config);
            } finally {
                Exit.resetShutdownHookAdder();
            }
        }
    }

    /** Stops the worker; its connectors stay configured and come back with {@link #start()}. */
    public synchronized void stop() {
        if (connect == null) {
            return;
        }
        if (supervisor != null) {
            supervisor.shutdownNow();
            supervisor = null;
        }
        connect.stop();
        connect.awaitStop();
        connect = null;
        LOG.info("Kafka Connect worker on {} stopped", restUrl());
    }

    public synchronized boolean isRunning() {
        return connect != null;
    }

    @Override
    public void close() {
        stop();
    }

    public String restUrl() {
        return "http://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    public String groupId() {
        return groupId;
    }

    /**
     * Creates or updates a connector ({@code PUT /connectors/{name}/config}, idempotent) and waits
     * until it and all its tasks run.
     *
     * @throws IllegalStateException when the worker rejects the config, a task fails (with its trace)
     *                               or the timeout passes
     */
    public ConnectorStatus apply(String name, Map<String, String> config, Duration timeout) {
        putConnector(name, config, timeout);
        return awaitRunning(name, timeout);
    }

    /** {@code PUT /connectors/{name}/config}; retried while the worker is still joining its group. */
    public void putConnector(String name, Map<String, String> config, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(config);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        while (true) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
            if (r.statusCode() == 200 || r.statusCode() == 201) {
                LOG.info("Connector {} {}", name, r.statusCode() == 201 ? "created" : "updated");
                return;
            }
            // 409: rebalance in progress or no leader yet; 5xx: worker still starting.
            boolean transientError = r.statusCode() == 409 || r.statusCode() >= 500;
            if (!transientError || System.nanoTime() > deadline) {
                throw new IllegalStateException("PUT connector " + name + " failed: HTTP " + r.statusCode() + " " + r.body());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    /** Waits until the connector and every task are RUNNING; fails fast on a FAILED one. */
    public ConnectorStatus awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ConnectorStatus> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = status(name);
            if (last.isPresent()) {
                ConnectorStatus s = last.get();
                if (s.failed()) {
                    throw new IllegalStateException("connector " + name + " failed: " + s.failureTrace());
                }
                if (s.running()) {
                    return s;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("connector " + name + " not RUNNING after " + timeout + ": "
                + last.map(Object::toString).orElse("unknown to the worker"));
    }

    /** {@code GET /connectors/{name}/status}; empty when the worker does not know the connector. */
    public Optional<ConnectorStatus> status(String name) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/status")).GET());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("status of " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return Optional.of(ConnectorStatus.parse(readTree(r.body())));
    }

    /** Names of the configured connectors. */
    public List<String> connectors() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors")).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("list connectors: HTTP " + r.statusCode() + " " + r.body());
        }
        try {
            return JSON.readValue(r.body(), new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("unreadable connector list", e);
        }
    }

    /** The connector's config as the worker stores it (provider references unresolved). */
    public Map<String, String> connectorConfig(String name) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + enc(name) + "/config")).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("config of " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
        try {
            return JSON.readValue(r.body(), new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("unreadable config of " + name, e);
        }
    }

    public void deleteConnector(String name) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/connectors/" + enc(name))).DELETE());
        if (r.statusCode() != 204 && r.statusCode() != 404) {
            throw new IllegalStateException("delete " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** Restarts the connector's failed instances ({@code POST .../restart?includeTasks=true&onlyFailed=true}). */
    public void restartFailed(String name) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                uri("/connectors/" + enc(name) + "/restart?includeTasks=true&onlyFailed=true"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() >= 300 && r.statusCode() != 404) {
            throw new IllegalStateException("restart " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** One supervisor round: restart whatever failed, logging why it failed. */
    private void restartFailed() {
        try {
            for (String name : connectors()) {
                Optional<ConnectorStatus> s = status(name);
                if (s.isPresent() && s.get().failed()) {
                    LOG.warn("Restarting failed connector {}: {}", name, firstLine(s.get().failureTrace()));
                    restartFailed(name);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("supervisor round skipped: {}", e.toString());
        }
    }

    private Map<String, String> workerConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("group.id", groupId);
        c.put("config.storage.topic", groupId + "-configs");
        c.put("offset.storage.topic", groupId + "-offsets");
        c.put("status.storage.topic", groupId + "-status");
        c.put("config.storage.replication.factor", "1");
        c.put("offset.storage.replication.factor", "1");
        c.put("status.storage.replication.factor", "1");
        c.put("offset.storage.partitions", "1");
        c.put("status.storage.partitions", "1");
        c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("listeners", "http://" + host + ":" + port);
        c.put("rest.advertised.host.name", host);
        c.put("rest.advertised.port", Integer.toString(port));
        c.put("plugin.discovery", "service_load");
        // Sink offsets are committed at this interval; short keeps redelivery after a stop small.
        c.put("offset.flush.interval.ms", "1000");
        // The pipeline's topics are written in transactions (Streams exactly-once).
        c.put("consumer.isolation.level", "read_committed");
        c.put("connector.client.config.override.policy", "All");
        // One member that comes back with a new identity: do not hold its old tasks for 5 minutes.
        c.put("scheduled.rebalance.max.delay.ms", "0");
        c.put("task.shutdown.graceful.timeout.ms", "5000");
        c.put("config.providers", "env");
        c.put("config.providers.env.class", OverridableEnvConfigProvider.class.getName());
        env.forEach((k, v) -> c.put("config.providers.env.param." + k, v));
        c.putAll(overrides);
        return c;
    }

    private void awaitRest(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                // 200 once the worker has joined its group and read its config topic; 503 before.
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Connect REST on " + restUrl() + " not ready after " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Kafka Connect REST on " + restUrl() + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(restUrl() + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable response: " + body, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A connector's state and its tasks' states, as the worker reports them. */
    public record ConnectorStatus(String name, String state, String trace, List<TaskStatus> tasks) {

        /** The connector and at least one task RUNNING, and no task in any other state. */
        public boolean running() {
            return "RUNNING".equals(state) && !tasks.isEmpty() && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
        }

        public boolean failed() {
            return "FAILED".equals(state) || tasks.stream().anyMatch(t -> "FAILED".equals(t.state()));
        }

        /** The connector's trace, else the first failed task's. */
        public String failureTrace() {
            if ("FAILED".equals(state)) {
                return trace;
            }
            return tasks.stream().filter(t -> "FAILED".equals(t.state())).map(t -> "task " + t.id() + ": " + t.trace())
                    .findFirst().orElse(null);
        }

        static ConnectorStatus parse(JsonNode n) {
            List<TaskStatus> tasks = new ArrayList<>();
            for (JsonNode t : n.path("tasks")) {
                tasks.add(new TaskStatus(t.path("id").asInt(), t.path("state").asText(), t.path("trace").asText(null)));
            }
            JsonNode c = n.path("connector");
            return new ConnectorStatus(n.path("name").asText(), c.path("state").asText(), c.path("trace").asText(null),
                    List.copyOf(tasks));
        }
    }

    /** One task's state; {@code trace} is set when it FAILED. */
    public record TaskStatus(int id, String state, String trace) {
    }

    /** Settings for {@link EmbeddedConnect}. */
    public static final class Builder {
        private String bootstrapServers;
        private String host = "127.0.0.1";
        private int port;
        private String groupId = "wattstream-connect";
        private final Map<String, String> env = new HashMap<>();
        private final Map<String, String> overrides = new HashMap<>();
        private Duration restartFailedEvery;

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** REST port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Worker group, also the prefix of its internal topics; use a unique one per test class. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** A value for {@code ${env:NAME}} in connector configs, taking precedence over the environment. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Any worker setting, applied last. */
        public Builder config(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Restart failed connectors and tasks at this interval (off by default). */
        public Builder restartFailedTasksEvery(Duration interval) {
            this.restartFailedEvery = interval;
            return this;
        }

        public EmbeddedConnect build() {
            return new EmbeddedConnect(this);
        }
    }
}
