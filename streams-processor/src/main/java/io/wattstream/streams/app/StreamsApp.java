package io.wattstream.streams.app;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.streams.state.StateErrors;
import io.wattstream.streams.state.StateService;
import io.wattstream.streams.topology.StreamsTopology;

/**
 * One running stream processor: the Kafka Streams application and its {@code /state} server. Start it
 * in-process with {@link #start(Config)} (the one-JVM local stack, tests) or through {@link StreamsMain}.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final WebServer server;
    private final KafkaStreams streams;
    private final HostInfo self;
    private final AppSettings settings;

    private StreamsApp(WebServer server, KafkaStreams streams, HostInfo self, AppSettings settings) {
        this.server = server;
        this.streams = streams;
        this.self = self;
        this.settings = settings;
    }

    /** Starts from this module's config node (children {@code server} and {@code app}), environment overriding it. */
    public static StreamsApp start(Config moduleConfig) {
        return start(moduleConfig, System.getenv());
    }

    /** As {@link #start(Config)}, with an explicit environment (tests pass none). */
    public static StreamsApp start(Config moduleConfig, Map<String, String> env) {
        AppSettings settings = AppSettings.from(moduleConfig.get("app"), env);
        if (settings.createTopics()) {
            TopicSetup.ensure(settings.bootstrap(), settings.topology().rawTopic(), settings.topicPartitions(),
                    settings.rawRetention());
        }
        // The server starts first: application.server must name the port it actually bound.
        AtomicReference<StateService.Runtime> runtime = new AtomicReference<>();
        WebServerConfig.Builder builder = WebServer.builder()
                .config(moduleConfig.get("server"))
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.just(HealthObserver.builder()
                        .useSystemServices(false)
                        .details(true)
                        .addCheck(new StreamsHealthCheck(() -> runtime.get() == null ? null : runtime.get().streams()))
                        .build()))
                .routing(r -> {
                    StateErrors.register(r);
                    r.register("/state", new StateService(runtime::get));
                });
        if (settings.statePort() != null) {
            builder.port(settings.statePort());
        }
        WebServer server = builder.build().start();
        HostInfo self = settings.hostInfo(server.port());
        try {
            Properties props = settings.streamsProperties(self);
            KafkaStreams streams = new KafkaStreams(StreamsTopology.build(props), props);
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("Stream thread failed; shutting down this instance (health reports DOWN)", e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
            runtime.set(new StateService.Runtime(streams, self, settings.topology().energy()));
            streams.start();
            LOG.info("Stream processor {} started: raw topic {}, /state on port {} (advertised as {}:{})",
                    settings.applicationId(), settings.topology().rawTopic(), server.port(), self.host(), self.port());
            return new StreamsApp(server, streams, self, settings);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Port of the {@code /state} server. */
    public int port() {
        return server.port();
    }

    /** The endpoint other instances route interactive queries to. */
    public HostInfo hostInfo() {
        return self;
    }

    public AppSettings settings() {
        return settings;
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Waits until Kafka Streams is RUNNING (all tasks assigned and restored). */
    public StreamsApp awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("Kafka Streams stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Streams not RUNNING after " + timeout + ": " + streams.state());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return this;
    }

    /** Stops processing (leaving the group so its partitions move at once) and the server. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        server.stop();
        LOG.info("Stream processor {} on {}:{} stopped", settings.applicationId(), self.host(), self.port());
    }
}
