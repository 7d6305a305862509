package io.wattstream.reliability;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.ChildJvm;
import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.gateway.GatewayApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The pipeline on embedded parts with each part individually breakable: PostgreSQL, the broker and the
 * Connect worker in this JVM (each with stop/start on the same port and data), the gateway in this JVM,
 * and the stream processor in a child JVM so it can be killed with SIGKILL.
 */
final class Pipeline implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String RAW_TOPIC = "shelly.readings.raw";

    static final Path STREAMS_LOG = Path.of("target", "pipeline-faults-streams-child.log").toAbsolutePath();

    final Path dataDir = Dirs.temp("wattstream-reliability-");
    private final Infrastructure infra;
    final EmbeddedPostgres postgres;
    final EmbeddedKafka kafka;
    final EmbeddedConnect connect;
    final GatewayApp gateway;
    private final int statePort = Ports.free();
    private ChildJvm streams;

    Pipeline() {
        try {
            java.nio.file.Files.deleteIfExists(STREAMS_LOG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        infra = Infrastructure.builder()
                .dataDir(dataDir)
                .postgres(b -> b.registerShutdownHook(false))
                .rawTopic(RAW_TOPIC)
                .partitions(3)
                .sink(b -> b.host("127.0.0.1").port(Ports.free()).groupId("wattstream-reliability-connect"))
                .start();
        postgres = infra.postgres();
        kafka = infra.kafka();
        connect = infra.connect();
        startStreams();
        gateway = GatewayApp.start(Config.just(ConfigSources.create(Map.of(
                "server.host", "127.0.0.1",
                "server.port", "0",
                "app.kafka.bootstrap", kafka.bootstrapServers(),
                "app.raw-topic", RAW_TOPIC))));
    }

    void startStreams() {
        // In target/, so the child's log outlives the data directory for a post-mortem.
        streams = ChildJvm.builder(StreamsChild.class).log(STREAMS_LOG)
                .args(List.of(kafka.bootstrapServers(), dataDir.resolve("streams-state").toString(), Integer.toString(statePort)))
                .start();
        streams.awaitOutput("STREAMS READY", WAIT);
    }

    /** SIGKILL: open transactions stay open until the restarted instance fences them. */
    void killStreams() {
        streams.kill();
    }

    /** Counts the occurrences of a marker in the stream processor's output (across restarts). */
    long streamsOutputCount(String marker) {
        String out = streams.output();
        return out.split(java.util.regex.Pattern.quote(marker), -1).length - 1L;
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    @Override
    public void close() {
        gateway.close();
        if (streams != null) {
            streams.close();
        }
        infra.close();
        Dirs.deleteRecursively(dataDir);
    }
}
