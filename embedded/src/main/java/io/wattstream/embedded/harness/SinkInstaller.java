package io.wattstream.embedded.harness;

import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.sink.ConnectorFiles;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the sink on the embedded parts, for integration tests, benchmarks and the one-JVM local stack:
 * a Connect worker that resolves the connector files' {@code ${env:POSTGRES_*}} to the embedded
 * PostgreSQL, then every connector file applied and RUNNING. The tables must exist already
 * ({@link Infrastructure#postgres} migrates them).
 */
public final class SinkInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(SinkInstaller.class);

    /** How often the embedded worker restarts failed tasks (e.g. after a database outage). */
    public static final Duration RESTART_FAILED_EVERY = Duration.ofSeconds(5);

    /** The environment the connector files read, pointing at the given PostgreSQL. */
    public static Map<String, String> databaseEnv(EmbeddedPostgres pg) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POSTGRES_HOST", "127.0.0.1");
        env.put("POSTGRES_PORT", Integer.toString(pg.port()));
        env.put("POSTGRES_DB", pg.database());
        env.put("POSTGRES_USER", pg.user());
        env.put("POSTGRES_PASSWORD", pg.password());
        return env;
    }

    /** A worker on the broker whose connectors reach the given PostgreSQL; add settings, then build. */
    public static EmbeddedConnect.Builder worker(EmbeddedKafka kafka, EmbeddedPostgres pg) {
        EmbeddedConnect.Builder b = EmbeddedConnect.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .restartFailedTasksEvery(RESTART_FAILED_EVERY);
        databaseEnv(pg).forEach(b::env);
        return b;
    }

    /** Applies every connector file and waits until all run. Idempotent. */
    public static void install(EmbeddedConnect connect, Duration timeout) {
        ConnectorFiles.loadAll().forEach((name, config) -> connect.putConnector(name, config, timeout));
        ConnectorFiles.NAMES.forEach(name -> connect.awaitRunning(name, timeout));
        LOG.info("Sink connectors running: {}", ConnectorFiles.NAMES);
    }

    /** Starts the worker and {@link #install installs} the connectors; a worker that fails is stopped. */
    public static EmbeddedConnect start(EmbeddedConnect.Builder worker, Duration timeout) {
        return Infrastructure.prepared(worker.build().start(), connect -> install(connect, timeout));
    }

    private SinkInstaller() {
    }
}
