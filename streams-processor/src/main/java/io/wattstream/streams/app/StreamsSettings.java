package io.wattstream.streams.app;

import io.helidon.config.Config;
import io.wattstream.kit.Durations;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import io.wattstream.model.Topics;
import io.wattstream.streams.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The stream processor's settings ({@link #TABLE} lists them all), and in one step the Kafka Streams
 * properties they make, which {@link io.wattstream.streams.topology.StreamsTopology#build} reads.
 *
 * @param port              port of the {@code /state} server ({@code server.port}; 0 picks a free one)
 * @param advertisedHost    host other instances reach this one's {@code /state} at
 * @param applicationServer {@code host:port} other instances reach this one at; when absent it is
 *                          {@code advertisedHost} and the bound port
 * @param topology          the processing choices
 * @param rawRetention      how long the raw topic keeps readings: how far back a replay can recompute
 * @param streams           any further Kafka Streams setting, applied last
 */
public record StreamsSettings(
        String bootstrap,
        String applicationId,
        Path stateDir,
        int port,
        String advertisedHost,
        Optional<String> applicationServer,
        TopologySettings topology,
        Duration commitInterval,
        long cacheBytes,
        int threads,
        boolean createTopics,
        int topicPartitions,
        Duration rawRetention,
        Map<String, String> streams) {

    /** Every setting of the stream processor. */
    public static final SettingsTable TABLE = SettingsTable.of("streams-processor",
            List.of(SharedSettings.KAFKA_BROKER, SharedSettings.KAFKA_TOPIC),
            List.of(Setting.of("ALERT_THRESHOLD", "app.alert.threshold-w", plain(TopologySettings.DEFAULT_THRESHOLD_W),
                            "power alert threshold in W for devices without their own"),
                    Setting.of("ALERT_HYSTERESIS", "app.alert.hysteresis", plain(TopologySettings.DEFAULT_HYSTERESIS),
                            "a raised power alert clears below threshold x (1 - hysteresis), in [0, 1)"),
                    Setting.of("OFFLINE_AFTER", "app.offline-after", Durations.format(TopologySettings.DEFAULT_OFFLINE_AFTER),
                            "a device is reported offline after this long without a reading"),
                    Setting.of("TEMPERATURE_LIMIT_C", "app.alert.temperature-limit-c",
                            plain(TopologySettings.DEFAULT_TEMPERATURE_LIMIT_C), "a device temperature above this raises OVER_TEMPERATURE, C"),
                    Setting.of("ENERGY_DIP_TOLERANCE_WH", "app.energy.dip-tolerance-wh",
                            plain(TopologySettings.DEFAULT_DIP_TOLERANCE_WH), "a counter decrease up to this (or the share below) is rounding noise, Wh"),
                    Setting.of("ENERGY_DIP_TOLERANCE_SHARE", "app.energy.dip-tolerance-share",
                            plain(TopologySettings.DEFAULT_DIP_TOLERANCE_SHARE), "... or up to this share of the counter, in [0, 1)"),
                    Setting.of("ENERGY_MAX_POWER_W", "app.energy.max-power-w", plain(TopologySettings.DEFAULT_MAX_POWER_W),
                            "the most power a meter carries unless its registry entry says otherwise (impossible jumps), W"),
                    Setting.of("ENERGY_RECONCILE_SHARE", "app.energy.reconcile-share",
                            plain(TopologySettings.DEFAULT_RECONCILE_SHARE),
                            "a window whose counter and power-integrated energy differ by more than this share is flagged"),
                    Setting.of("SESSIONS_ENABLED", "app.sessions.enabled", "true",
                            "charging sessions, tariff prices and costs (off only to measure what they cost)"),
                    Setting.of("SESSION_START_W", "app.session.start-w", plain(TopologySettings.DEFAULT_SESSION_START_W),
                            "a charging session opens when power stays above this, W ..."),
                    Setting.of("SESSION_START_AFTER", "app.session.start-after",
                            Durations.format(TopologySettings.DEFAULT_SESSION_START_AFTER), "... for this long"),
                    Setting.of("SESSION_STANDBY_W", "app.session.standby-w", plain(TopologySettings.DEFAULT_SESSION_STANDBY_W),
                            "it closes when power stays at or below this, W ..."),
                    Setting.of("SESSION_END_AFTER", "app.session.end-after",
                            Durations.format(TopologySettings.DEFAULT_SESSION_END_AFTER),
                            "... for this long (a shorter pause is part of the session; a silent meter's session closes too)"),
                    Setting.of("SESSION_UPDATE_EVERY", "app.session.update-every",
                            Durations.format(TopologySettings.DEFAULT_SESSION_UPDATE_EVERY),
                            "an open session is published (UPDATED) at most this often, by the readings' time"),
                    Setting.of("DEFAULT_TIME_ZONE", "app.default-time-zone", "UTC",
                            "the local day of a meter no tariff applies to (daily aggregates)"),
                    Setting.of("RAW_RETENTION", "app.raw-retention", Durations.format(Topics.DEFAULT_RAW_RETENTION),
                            "how long the raw topic keeps readings: what a replay can recompute"),
                    Setting.of("STATE_PORT", "server.port", "8084", "port of the /state service"),
                    Setting.of("APPLICATION_SERVER", "app.application-server", null,
                            "host:port other instances reach this one's /state at (default: advertised host and port)"),
                    Setting.of("STREAMS_ADVERTISED_HOST", "app.advertised-host", "localhost",
                            "host other instances reach this one's /state at"),
                    Setting.of("STREAMS_STATE_DIR", "app.state-dir", "data/streams-state", "Kafka Streams state directory"),
                    Setting.of("STREAMS_APPLICATION_ID", "app.application-id", StreamsProperties.DEFAULT_APPLICATION_ID,
                            "Kafka Streams application id (consumer group, internal topic prefix)"),
                    Setting.of("STREAMS_DEDUP_RETENTION", "app.dedup-retention",
                            Durations.format(TopologySettings.DEFAULT_DEDUP_RETENTION),
                            "how long a reading's identity is remembered to drop exact retries"),
                    Setting.of("STREAMS_COMMIT_INTERVAL", "app.commit-interval",
                            Durations.format(Duration.ofMillis(StreamsProperties.DEFAULT_COMMIT_INTERVAL_MS)),
                            "Kafka Streams commit interval: enriched readings become visible at each commit"),
                    Setting.of("STREAMS_CACHE_MAX_BYTES", "app.cache-max-bytes", Long.toString(StreamsProperties.DEFAULT_CACHE_BYTES),
                            "Kafka Streams record cache in bytes"),
                    Setting.of("STREAMS_THREADS", "app.threads", "1", "stream threads of this instance"),
                    Setting.of("STREAMS_CREATE_TOPICS", "app.create-topics", "true", "create missing pipeline topics at start"),
                    Setting.of("TOPIC_PARTITIONS", "app.topic-partitions", Integer.toString(Topics.DEFAULT_PARTITIONS),
                            "partitions of a pipeline topic created here"),
                    Setting.group("STREAMS_CONFIG", "app.streams",
                            "further Kafka Streams settings name=value,name=value, applied last")));

    /** Reads the stream processor's config node (children {@code server} and {@code app}). */
    public static StreamsSettings from(Config streamsConfig) {
        return from(TABLE.reader(streamsConfig));
    }

    /** Reads every setting of {@link #TABLE} through {@code r}. */
    public static StreamsSettings from(SettingsReader r) {
        double threshold = r.number("app.alert.threshold-w");
        r.require(threshold > 0, "app.alert.threshold-w", "must be a positive number of W", threshold);
        double hysteresis = r.number("app.alert.hysteresis");
        r.require(hysteresis >= 0 && hysteresis < 1, "app.alert.hysteresis", "must be in [0, 1)", hysteresis);
        Duration offlineAfter = r.duration("app.offline-after");
        r.require(offlineAfter.isPositive(), "app.offline-after", "must be positive", offlineAfter);
        return new StreamsSettings(
                r.string("app.kafka.bootstrap"),
                r.string("app.application-id"),
                Path.of(r.string("app.state-dir")),
                r.integer("server.port", 0, 65535),
                r.string("app.advertised-host"),
                r.optional("app.application-server"),
                TopologySettings.of(r.string("app.raw-topic"), threshold, hysteresis, offlineAfter,
                        r.duration("app.dedup-retention"), energyRules(r), r.number("app.alert.temperature-limit-c"),
                        sessionRules(r)),
                r.duration("app.commit-interval"),
                r.longValue("app.cache-max-bytes"),
                r.integer("app.threads", 1, 64),
                r.bool("app.create-topics"),
                r.integer("app.topic-partitions", 1, 10_000),
                r.duration("app.raw-retention"),
                r.group("app.streams"));
    }

    private static TopologySettings.EnergyRules energyRules(SettingsReader r) {
        double dipWh = r.number("app.energy.dip-tolerance-wh");
        r.require(dipWh >= 0, "app.energy.dip-tolerance-wh", "must be >= 0 Wh", dipWh);
        double dipShare = r.number("app.energy.dip-tolerance-share");
        r.require(dipShare >= 0 && dipShare < 1, "app.energy.dip-tolerance-share", "must be in [0, 1)", dipShare);
        double maxPower = r.number("app.energy.max-power-w");
        r.require(maxPower > 0, "app.energy.max-power-w", "must be > 0 W", maxPower);
        double reconcile = r.number("app.energy.reconcile-share");
        r.require(reconcile > 0, "app.energy.reconcile-share", "must be > 0", reconcile);
        return new TopologySettings.EnergyRules(dipWh, dipShare, maxPower, reconcile);
    }

    private static TopologySettings.SessionRules sessionRules(SettingsReader r) {
        double start = r.number("app.session.start-w");
        r.require(start > 0, "app.session.start-w", "must be > 0 W", start);
        double standby = r.number("app.session.standby-w");
        r.require(standby >= 0 && standby <= start, "app.session.standby-w", "must be >= 0 W and not above the start level",
                standby);
        Duration startAfter = r.duration("app.session.start-after");
        r.require(!startAfter.isNegative(), "app.session.start-after", "must not be negative", startAfter);
        Duration endAfter = r.duration("app.session.end-after");
        r.require(endAfter.isPositive(), "app.session.end-after", "must be positive", endAfter);
        Duration update = r.duration("app.session.update-every");
        r.require(update.isPositive(), "app.session.update-every", "must be positive", update);
        String zone = r.string("app.default-time-zone");
        java.time.ZoneId zoneId;
        try {
            zoneId = io.wattstream.model.TariffRules.zoneId(zone);
        } catch (io.wattstream.model.InvalidTariffException e) {
            r.require(false, "app.default-time-zone", "must be an IANA time zone such as Europe/Berlin (or UTC)", zone);
            throw e;
        }
        return new TopologySettings.SessionRules(r.bool("app.sessions.enabled"), start, startAfter, standby, endAfter,
                update, zoneId);
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** This instance's endpoint for interactive-query routing. */
    public HostInfo hostInfo(int boundPort) {
        return HostInfo.buildFromEndpoint(applicationServer.orElse(advertisedHost + ":" + boundPort));
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
}
