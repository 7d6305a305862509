package io.wattstream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.model.Json;
import io.wattstream.model.JsonSerde;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Tariff;
import io.wattstream.model.TariffSchedule;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import io.wattstream.streams.topology.FormerWindowing;
import io.wattstream.streams.topology.StreamsTopology;
import io.wattstream.streams.topology.TopologySettings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An installation upgraded from the windowed aggregations of earlier versions ({@link FormerWindowing}) to
 * the window books, on the same application id and state directory, while a minute, an hour and a local
 * day are open and a closed minute and hour wait in the former suppressions: it publishes every minute,
 * hour and day once, with the figures of an installation that was never upgraded.
 */
class FormerWindowsUpgradeIT {

    private static final JsonSerde<RawReading> RAW = new JsonSerde<>(RawReading.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final String UPGRADED = "upgraded.raw";
    private static final String NEVER_UPGRADED = "never-upgraded.raw";

    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, byte[]> producer;
    private static final List<Path> DIRS = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createPipelineTopics(1);
        kafka.createTopics(List.of(new NewTopic(UPGRADED, 1, (short) 1), new NewTopic(NEVER_UPGRADED, 1, (short) 1)));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
        // One flat price for every meter, in a zone of its own: costs, and local days that are not UTC days.
        Tariff flat = new Tariff("flat", "flat", null, null, "EUR", ZONE.getId(), Instant.EPOCH, null,
                List.of(new Tariff.Zone("all", List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"),
                        "00:00", "24:00", new BigDecimal("0.25"))));
        producer.send(new ProducerRecord<>(Topics.TARIFFS.name(), TariffSchedule.scopeOf(null, null),
                Topics.TARIFFS.valueSerde().serializer().serialize(Topics.TARIFFS.name(),
                        new TariffSchedule(TariffSchedule.scopeOf(null, null), List.of(flat)))));
        producer.flush();
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        DIRS.forEach(Dirs::deleteRecursively);
    }

    private static KafkaStreams start(Function<Properties, Topology> topology, String applicationId, String rawTopic,
                                      Path stateDir) {
        Properties p = StreamsProperties.defaults();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.setProperty(TopologySettings.RAW_TOPIC, rawTopic);
        KafkaStreams streams = new KafkaStreams(topology.apply(p), p);
        streams.start();
        return streams;
    }

    /** Leaves the group at once, so the next instance gets the task without waiting out the session. */
    private static void stop(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(20)));
    }

    private static Path stateDir(String name) {
        Path dir = Dirs.temp("wattstream-" + name + "-");
        DIRS.add(dir);
        return dir;
    }

    /** The readings of one meter, in the order sent; the same for both installations but for the meter id. */
    private record Feed(Instant t0, List<RawReading> before, List<RawReading> after) {

        static Feed of(Instant t0) {
            List<RawReading> before = new ArrayList<>();
            List<RawReading> after = new ArrayList<>();
            int[] n = {0};
            // The previous hour's last minutes, then the hour up to 4:20: minute 3 closed but within its
            // grace, minute 4 open, the previous hour closed but within its grace, the hour and the day open.
            for (int s = -180; s <= 260; s += 10) {
                before.add(reading(t0.plusSeconds(s), n[0]++));
            }
            after.add(reading(t0.plusSeconds(95), n[0]++));  // late for its minute, on time for its hour
            after.add(reading(t0.plusSeconds(235), n[0]++)); // on time for minute 3, which closes at 4:30
            for (int s = 270; s <= 480; s += 10) {
                after.add(reading(t0.plusSeconds(s), n[0]++));
            }
            // Past the end of the local day plus its grace: every window above closes.
            after.add(reading(t0.plus(Duration.ofHours(3)).plusSeconds(600), n[0]++));
            return new Feed(t0, before, after);
        }

        /** Exact binary fractions, so that any order of adding gives the same sums. */
        private static RawReading reading(Instant at, int n) {
            double power = 1000 + 10 * (n % 7);
            return RawReading.builder().deviceId("meter").power(power).voltage(230.0 + n % 3).current(4.25 + 0.25 * (n % 4))
                    .energy(5000 + 0.5 * n).freq(50.0).pf(0.99).temperatureC(40.0).output(true)
                    .at(at).source(RawReading.Source.FLAT_POST).build();
        }
    }

    private static void send(String topic, String device, List<RawReading> readings) {
        for (RawReading r : readings) {
            RawReading mine = r.toBuilder().deviceId(device).build();
            producer.send(new ProducerRecord<>(topic, null, r.timestamp().toEpochMilli(), device, RAW.toBytes(mine)));
        }
        producer.flush();
    }

    /** As JSON without the meter id, ordered by window start: what the two installations must agree on. */
    private static List<ObjectNode> figures(List<?> values) {
        return values.stream().map(v -> {
            ObjectNode node = Json.MAPPER.valueToTree(v);
            node.remove("device_id");
            return node;
        }).toList();
    }

    private static List<WindowStats> closed(TopicReader<WindowStats> topic, String device, Instant before) {
        return topic.records().stream().filter(r -> r.key().equals(device)).map(r -> r.value())
                .filter(w -> w.windowStart().isBefore(before))
                .sorted(Comparator.comparing(WindowStats::windowStart)).toList();
    }

    @Test
    void anUpgradedInstallationPublishesEveryWindowOnceWithTheFiguresOfOneNeverUpgraded() {
        // Two local days back, 22:00: the day closes (at its end plus 1 h 05) well before now.
        Instant t0 = LocalDate.now(ZONE).minusDays(2).atTime(22, 0).atZone(ZONE).toInstant();
        Feed feed = Feed.of(t0);
        Path upgradedState = stateDir("upgraded");
        try (TopicReader<Reading> readings = new TopicReader<>(kafka.bootstrapServers(), Topics.READINGS);
             TopicReader<WindowStats> minutes = new TopicReader<>(kafka.bootstrapServers(), Topics.READINGS_1M);
             TopicReader<WindowStats> hours = new TopicReader<>(kafka.bootstrapServers(), Topics.READINGS_1H);
             TopicReader<WindowStats> days = new TopicReader<>(kafka.bootstrapServers(), Topics.READINGS_1D);
             KafkaStreams neverUpgraded = start(FormerWindowing::build, "never-upgraded", NEVER_UPGRADED, stateDir("never"))) {
            send(NEVER_UPGRADED, "never", feed.before());
            send(NEVER_UPGRADED, "never", feed.after());

            KafkaStreams former = start(FormerWindowing::build, "upgraded", UPGRADED, upgradedState);
            try {
                send(UPGRADED, "up", feed.before());
                readings.awaitValues(r -> r.key().equals("up"), v -> v.size() == feed.before().size(), WAIT);
            } finally {
                stop(former);
            }

            KafkaStreams upgraded = start(StreamsTopology::build, "upgraded", UPGRADED, upgradedState);
            try {
                send(UPGRADED, "up", feed.after());
                int all = feed.before().size() + feed.after().size();
                for (String device : List.of("never", "up")) {
                    readings.awaitValues(r -> r.key().equals(device), v -> v.size() == all, WAIT);
                }
                // Every window closed in the transactions of these readings; anything published twice shows up now.
                for (TopicReader<WindowStats> windows : List.of(minutes, hours, days)) {
                    windows.drain(r -> false, Duration.ofSeconds(1));
                }
            } finally {
                stop(upgraded);
            }

            Instant jump = t0.plus(Duration.ofHours(3));
            List<WindowStats> expectedMinutes = closed(minutes, "never", jump);
            assertThat(expectedMinutes).hasSize(12); // 21:57 ... 22:08
            assertThat(figures(closed(minutes, "up", jump))).isEqualTo(figures(expectedMinutes));
            List<WindowStats> expectedHours = closed(hours, "never", jump);
            assertThat(expectedHours).extracting(WindowStats::windowStart).containsExactly(t0.minus(Duration.ofHours(1)), t0);
            assertThat(figures(closed(hours, "up", jump))).isEqualTo(figures(expectedHours));
            List<WindowStats> expectedDays = closed(days, "never", jump);
            assertThat(expectedDays).hasSize(1);
            assertThat(expectedDays.get(0).count()).isEqualTo(feed.before().size() + feed.after().size() - 1);
            assertThat(expectedDays.get(0).cost()).isNotNull();
            assertThat(figures(closed(days, "up", jump))).isEqualTo(figures(expectedDays));
            // The meter's baseline carried over: the same energy deltas, no counter reset, no jump.
            List<Reading> up = readings.records().stream().filter(r -> r.key().equals("up")).map(r -> r.value()).toList();
            List<Reading> never = readings.records().stream().filter(r -> r.key().equals("never")).map(r -> r.value()).toList();
            assertThat(up).noneMatch(Reading::counterReset);
            assertThat(figures(up)).isEqualTo(figures(never));
        }
    }
}
