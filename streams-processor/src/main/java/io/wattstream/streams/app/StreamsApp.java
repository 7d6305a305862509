package io.wattstream.streams.app;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.wattstream.kit.Closer;
import io.wattstream.kit.ServiceApp;
import io.wattstream.kit.http.ServiceServer;
import io.wattstream.model.state.AlertRules;
import io.wattstream.streams.state.StateErrors;
import io.wattstream.streams.state.StateService;
import io.wattstream.streams.topology.StreamsTopology;
import io.wattstream.streams.topology.TopologySettings;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running stream processor: the Kafka Streams application and its {@code /state} server. Start it
 * in-process with {@link #start(Config)} (the one-JVM local stack, tests) or through {@link StreamsMain}.
 */
public final class StreamsApp implements ServiceApp {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final WebServer server;
    private final KafkaStreams streams;
    private final HostInfo self;
    private final StreamsSettings settings;
    private final Closer opened;

    private StreamsApp(WebServer server, KafkaStreams streams, HostInfo self, StreamsSettings settings, Closer opened) {
        this.server = server;
        this.streams = streams;
        this.self = self;
        this.settings = settings;
        this.opened = opened;
    }

    /** Starts from this module's config node (children {@code server} and {@code app}). */
    public static StreamsApp start(Config streamsConfig) {
        StreamsSettings settings = StreamsSettings.from(streamsConfig);
        if (settings.createTopics()) {
            TopicSetup.ensure(settings.bootstrap(), settings.topology().rawTopic(), settings.topicPartitions(),
                    settings.rawRetention());
        }
        Closer opened = new Closer();
        try {
            // The server starts first: application.server must name the port it actually bound.
            AtomicReference<StateService.Runtime> runtime = new AtomicReference<>();
            AtomicReference<AlertRules> rules = new AtomicReference<>();
            WebServer server = ServiceServer.builder("stream processor")
                    .config(streamsConfig.get("server"))
                    .port(settings.port())
                    .errors(StateErrors::register)
                    .metrics(StreamsMetrics.KAFKA_PREFIX, StreamsMetrics.OWN_PREFIX)
                    .check(new StreamsHealthCheck(() -> runtime.get() == null ? null : runtime.get().streams()))
                    .routes(r -> r.register("/state", new StateService(runtime::get, rules::get)))
                    .start();
            opened.add(server::stop);
            HostInfo self = settings.hostInfo(server.port());
            Properties props = settings.streamsProperties(self);
            // What the topology applies, read back from the very properties it is built from.
            TopologySettings applied = TopologySettings.from(props);
            rules.set(new AlertRules(applied.defaultThresholdW(), applied.hysteresis(),
                    applied.offlineAfter().toMillis() / 1000.0));
            KafkaStreams streams = new KafkaStreams(StreamsTopology.build(props), props);
            // Closed before the server, leaving the group so its partitions move at once.
            opened.add(() -> streams.close(CloseOptions.groupMembershipOperation(
                    CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30))));
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("Stream thread failed; shutting down this instance (health reports DOWN)", e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            StreamsMetrics metrics = new StreamsMetrics(Services.get(MeterRegistry.class), streams);
            opened.add(metrics::close);
            streams.setStateListener((now, before) -> {
                LOG.info("Kafka Streams {} -> {}", before, now);
                if (now == KafkaStreams.State.RUNNING) {
                    metrics.tasksAssigned(); // their metrics exist from now on
                }
            });
            runtime.set(new StateService.Runtime(streams, self, settings.topology()));
            streams.start();
            LOG.info("Stream processor {} started: raw topic {}, /state on port {} (advertised as {}:{})",
                    settings.applicationId(), applied.rawTopic(), server.port(), self.host(), self.port());
            return new StreamsApp(server, streams, self, settings, opened);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Port of the {@code /state} server. */
    @Override
    public int port() {
        return server.port();
    }

    /** The endpoint other instances route interactive queries to. */
    public HostInfo hostInfo() {
        return self;
    }

    public StreamsSettings settings() {
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

    /** Stops processing (leaving the group so its partitions move at once), then the server. */
    @Override
    public void close() {
        opened.close();
        LOG.info("Stream processor {} on {}:{} stopped", settings.applicationId(), self.host(), self.port());
    }
}
