package io.wattstream.connect;

import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the sink on the embedded parts, for integration tests and the one-JVM local stack: a Connect
 * worker that resolves the connector files' {@code ${env:POSTGRES_*}} to the embedded PostgreSQL, the
 * tables' migrations, then every connector file applied and RUNNING.
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

    /** Applies the migrations, then every connector file, and waits until all run. Idempotent. */
    public static void install(EmbeddedPostgres pg, EmbeddedConnect connect, Duration timeout) {
        Migrations.apply(pg.dataSource());
        ConnectorFiles.loadAll().forEach((name, config) -> connect.putConnector(name, config, timeout));
        ConnectorFiles.NAMES.forEach(name -> connect.awaitRunning(name, timeout));
        LOG.info("Sink connectors running: {}", ConnectorFiles.NAMES);
    }

    private SinkInstaller() {
    }
}
