package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.gateway.GatewayApp;
import io.wattstream.model.RawReading;
import io.wattstream.model.RawReading.Source;
import io.wattstream.model.Topics;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's WebSocket devices against the real gateway and broker, behaving as the firmware:
 * the full status on connect, partials after, answers to the gateway's polls, and a reconnect with
 * back-off when the gateway goes away.
 */
class SimulatedWsLinkIT {

    private static final String TOPIC = "it.sim.readings.raw";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EmbeddedKafka kafka;
    private static KafkaConsumer<String, RawReading> consumer;
    private static final List<RawReading> seen = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().factory());
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final SimulatedDevice device = new SimulatedDevice("d", SimulatedDevice.Profile.LOAD, 7, 2, -1, Long.MAX_VALUE,
            Long.MAX_VALUE);

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createTopics(EmbeddedKafka.pipelineTopics(TOPIC, 1));
        Topics.Topic<RawReading> raw = Topics.raw(TOPIC);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), raw.keySerde().deserializer(), raw.valueSerde().deserializer());
        consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
        consumer.seekToBeginning(List.of(new TopicPartition(TOPIC, 0)));
    }

    @AfterAll
    static void stopBroker() {
        if (consumer != null) {
            consumer.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void sendsTheFullStatusOnConnectThenPartials() throws Exception {
        GatewayApp gateway = gateway(0, Map.of());
        SimulatedWsLink link = link("shellypro1pm-simws-1", gateway.port());
        Poll.until("connected", WAIT, link::connected);
        report(link, 3);
        List<RawReading> readings = readingsOf("shellypro1pm-simws-1", 3);
        assertThat(readings).extracting(RawReading::source)
                .containsExactly(Source.NOTIFY_FULL_STATUS, Source.NOTIFY_STATUS, Source.NOTIFY_STATUS);
        assertThat(readings.get(0).voltage()).as("the full status carries every field").isNotNull();
        assertThat(readings.get(1).voltage()).as("a partial only what changed").isNull();
        assertThat(readings.get(1).energy()).isGreaterThan(readings.get(0).energy());
    }

    @Test
    void answersTheGatewaysStatusPoll() throws Exception {
        GatewayApp gateway = gateway(0, Map.of("app.ws.status-poll", "shellypro1pm-simws-2=1s"));
        SimulatedWsLink link = link("shellypro1pm-simws-2", gateway.port());
        Poll.until("connected", WAIT, link::connected);
        report(link, 1);
        Poll.until("a polled reading", WAIT, () -> poll().stream()
                .anyMatch(r -> r.deviceId().equals("shellypro1pm-simws-2") && r.source() == Source.SWITCH_STATUS));
    }

    @Test
    void reconnectsWithBackOffWhenTheGatewayRestartsAndSendsTheFullStatusAgain() throws Exception {
        int port = Ports.free();
        GatewayApp first = gateway(port, Map.of());
        SimulatedWsLink link = link("shellypro1pm-simws-3", port);
        Poll.until("connected", WAIT, link::connected);
        report(link, 2);
        readingsOf("shellypro1pm-simws-3", 2);
        first.close();
        Poll.until("the link noticed the gateway went away", WAIT, () -> !link.connected());
        GatewayApp second = gateway(port, Map.of());
        Poll.until("reconnected to the new gateway", WAIT, () -> link.connects() == 2 && link.connected());
        report(link, 1);
        List<RawReading> readings = readingsOf("shellypro1pm-simws-3", 4);
        assertThat(readings).extracting(RawReading::source).as("a fresh connection starts with the full status")
                .containsExactly(Source.NOTIFY_FULL_STATUS, Source.NOTIFY_STATUS, Source.NOTIFY_FULL_STATUS,
                        Source.NOTIFY_STATUS);
        assertThat(second.port()).isEqualTo(port);
    }

    // ---- helpers ----

    private GatewayApp gateway(int port, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of("server.port", Integer.toString(port), "server.host", "127.0.0.1",
                "app.kafka.bootstrap", kafka.bootstrapServers(), "app.raw-topic", TOPIC));
        m.putAll(extra);
        GatewayApp server = GatewayApp.start(Config.just(ConfigSources.create(m)));
        opened.add(server);
        return server;
    }

    private SimulatedWsLink link(String device, int port) {
        SimulatedWsLink link = new SimulatedWsLink(device, SimulatedWsLink.serverUrl("http://127.0.0.1:" + port, null), http,
                scheduler);
        opened.add(link);
        link.start();
        return link;
    }

    /** {@code n} ticks of a load, each reported on the simulator's own thread as the simulator does. */
    private void report(SimulatedWsLink link, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            SimulatedDevice.Sample s = device.next();
            scheduler.submit(() -> link.report(s)).get(10, TimeUnit.SECONDS);
        }
    }

    private static synchronized List<RawReading> poll() {
        for (ConsumerRecord<String, RawReading> r : consumer.poll(Duration.ofMillis(100))) {
            seen.add(r.value());
        }
        return List.copyOf(seen);
    }

    private static List<RawReading> readingsOf(String device, int count) {
        Poll.until(() -> count + " readings of " + device, WAIT,
                () -> poll().stream().filter(r -> r.deviceId().equals(device)).count() >= count);
        return poll().stream().filter(r -> r.deviceId().equals(device)).toList();
    }
}
