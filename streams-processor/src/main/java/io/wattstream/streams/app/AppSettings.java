package io.wattstream.streams.app;

import io.helidon.config.Config;
import io.wattstream.model.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import io.wattstream.streams.topology.TopologySettings;

/**
 * The {@code app:} section of the module's configuration, with the environment variables that
 * override it (the prototype's {@code KAFKA_BROKER}, {@code KAFKA_TOPIC}, {@code ALERT_THRESHOLD}, and
 * {@code OFFLINE_AFTER}, {@code ALERT_HYSTERESIS}, {@code STATE_PORT}, {@code APPLICATION_SERVER},
 * {@code STREAMS_STATE_DIR}, {@code STREAMS_APPLICATION_ID}).
 *
 * @param statePort          port of the {@code /state} server; null keeps {@code server.port}
 * @param applicationServer  {@code host:port} other instances reach this one's {@code /state} at; null
 *                           derives it from {@code advertisedHost} and the bound port
 * @param streams            any further Kafka Streams setting ({@code app.streams.*}), applied last
 */
public record AppSettings(
        String bootstrap,
        String applicationId,
        Path stateDir,
        TopologySettings topology,
        Duration commitInterval,
        long cacheBytes,
        int threads,
        Integer statePort,
        String advertisedHost,
        String applicationServer,
        boolean createTopics,
        int topicPartitions,
        Duration rawRetention,
        Map<String, String> streams) {

    public static AppSettings from(Config app, Map<String, String> env) {
        Properties tp = new Properties();
        tp.setProperty(TopologySettings.RAW_TOPIC, pick(env, Topics.RAW_TOPIC_ENV, app, "raw-topic", Topics.RAW.name()));
        tp.setProperty(TopologySettings.THRESHOLD_W, pick(env, "ALERT_THRESHOLD", app, "threshold-w",
                Double.toString(TopologySettings.DEFAULT_THRESHOLD_W)));
        tp.setProperty(TopologySettings.HYSTERESIS, pick(env, "ALERT_HYSTERESIS", app, "hysteresis",
                Double.toString(TopologySettings.DEFAULT_HYSTERESIS)));
        tp.setProperty(TopologySettings.OFFLINE_AFTER_MS, Long.toString(duration("offline-after",
                pick(env, "OFFLINE_AFTER", app, "offline-after", TopologySettings.DEFAULT_OFFLINE_AFTER.toString())).toMillis()));
        tp.setProperty(TopologySettings.DEDUP_RETENTION_MS, Long.toString(duration("dedup-retention",
                pick(env, null, app, "dedup-retention", TopologySettings.DEFAULT_DEDUP_RETENTION.toString())).toMillis()));
        // Energy rules and the temperature limit: one group, keys under app.energy / app.alert.
        tp.setProperty(TopologySettings.DIP_TOLERANCE_WH, pick(env, "ENERGY_DIP_TOLERANCE_WH", app,
                "energy.dip-tolerance-wh", Double.toString(TopologySettings.DEFAULT_DIP_TOLERANCE_WH)));
        tp.setProperty(TopologySettings.DIP_TOLERANCE_SHARE, pick(env, "ENERGY_DIP_TOLERANCE_SHARE", app,
                "energy.dip-tolerance-share", Double.toString(TopologySettings.DEFAULT_DIP_TOLERANCE_SHARE)));
        tp.setProperty(TopologySettings.MAX_POWER_W, pick(env, "ENERGY_MAX_POWER_W", app,
                "energy.max-power-w", Double.toString(TopologySettings.DEFAULT_MAX_POWER_W)));
        tp.setProperty(TopologySettings.RECONCILE_SHARE, pick(env, "ENERGY_RECONCILE_SHARE", app,
                "energy.reconcile-share", Double.toString(TopologySettings.DEFAULT_RECONCILE_SHARE)));
        tp.setProperty(TopologySettings.TEMPERATURE_LIMIT_C, pick(env, "TEMPERATURE_LIMIT_C", app,
                "alert.temperature-limit-c", Double.toString(TopologySettings.DEFAULT_TEMPERATURE_LIMIT_C)));
        String statePort = pick(env, "STATE_PORT", app, "state-port", null);
        String server = pick(env, "APPLICATION_SERVER", app, "application-server", null);
        Map<String, String> extra = new TreeMap<>(app.get("streams").detach().asMap().orElse(Map.of()));
        return new AppSettings(
                pick(env, "KAFKA_BROKER", app, "kafka.bootstrap", "localhost:9092"),
                pick(env, "STREAMS_APPLICATION_ID", app, "application-id", StreamsProperties.DEFAULT_APPLICATION_ID),
                Path.of(pick(env, "STREAMS_STATE_DIR", app, "state-dir", "data/streams-state")),
                TopologySettings.from(tp),
                duration("commit-interval", pick(env, null, app, "commit-interval",
                        Duration.ofMillis(StreamsProperties.DEFAULT_COMMIT_INTERVAL_MS).toString())),
                Long.parseLong(pick(env, null, app, "cache-max-bytes", Long.toString(StreamsProperties.DEFAULT_CACHE_BYTES))),
                Integer.parseInt(pick(env, null, app, "threads", "1")),
                statePort == null ? null : Integer.valueOf(statePort),
                pick(env, null, app, "advertised-host", "localhost"),
                server,
                Boolean.parseBoolean(pick(env, null, app, "create-topics", "true")),
                Integer.parseInt(pick(env, null, app, "topic-partitions", "3")),
                duration("raw-retention", pick(env, "RAW_RETENTION", app, "raw-retention",
                        Topics.DEFAULT_RAW_RETENTION.toString())),
                Map.copyOf(extra));
    }

    /** This instance's endpoint for interactive-query routing. */
    public HostInfo hostInfo(int boundPort) {
        return HostInfo.buildFromEndpoint(applicationServer != null ? applicationServer : advertisedHost + ":" + boundPort);
    }

    /** The full Kafka Streams configuration of an instance reachable at {@code self}. */
    public Properties streamsProperties(HostInfo self) {
        Properties p = StreamsProperties.defaults();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        p.setProperty(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cacheBytes));
        p.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
        p.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        topology.writeTo(p);
        p.putAll(streams);
        return p;
    }

    private static String pick(Map<String, String> env, String envName, Config app, String key, String dflt) {
        if (envName != null) {
            String v = env.get(envName);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return app.get(key).asString().filter(s -> !s.isBlank()).orElse(dflt);
    }

    /** ISO-8601 ({@code PT5M}) or plain seconds ({@code 300}). */
    static Duration duration(String name, String value) {
        try {
            return value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration (PT5M) or seconds, got '" + value + "'");
        }
    }
}
