package io.wattstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.RawReading;
import io.wattstream.model.RawReading.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The outbound WebSocket over a real connection (the JDK's WebSocket client as the device) against
 * a real (embedded) broker. The broker outage runs last: it stops the broker everyone else uses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShellyWsIT {

    private static final String TOPIC = "it.ws.readings.raw";
    private static final String DEVICE = "shellypro1pm-a8032ab1c2d3";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static EmbeddedKafka kafka;
    private static GatewayApp gateway;
    private static RawTopic raw;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startEphemeral();
        kafka.createTopics(EmbeddedKafka.pipelineTopics(TOPIC, 3));
        gateway = GatewayApp.start(config(Map.of()));
        raw = new RawTopic(kafka.bootstrapServers(), TOPIC);
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static Config config(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "app.kafka.bootstrap", kafka.bootstrapServers(),
                "app.raw-topic", TOPIC,
                "app.publish-timeout", "2s"));
        m.putAll(extra);
        return Config.just(ConfigSources.create(m));
    }

    static String url(GatewayApp server, String query) {
        return "ws://127.0.0.1:" + server.port() + ShellyWsEndpoint.PATH + (query.isEmpty() ? "" : "?" + query);
    }

    static String sample(String name) {
        return new String(WebhookParserTest.sample(name), StandardCharsets.UTF_8);
    }

    @Order(1)
    @Test
    void publishesTheFullStatusThenEachPartialAsTheWebhookDoes() throws Exception {
        Map<TopicPartition, Long> before = raw.endOffsets();
        try (DeviceSocket device = DeviceSocket.connect(url(gateway, ""))) {
            device.send(sample("notify-full-status.json")).send(sample("notify-status.json"));
            Poll.until("two readings on the raw topic", WAIT, () -> raw.total(raw.endOffsets()) - raw.total(before) == 2);
        }
        List<ConsumerRecord<String, RawReading>> landed = raw.since(before);
        assertThat(landed).extracting(ConsumerRecord::key).containsOnly(DEVICE);
        RawReading full = landed.get(0).value();
        RawReading partial = landed.get(1).value();
        assertThat(full.source()).isEqualTo(Source.NOTIFY_FULL_STATUS);
        assertThat(List.of(full.power(), full.voltage(), full.current(), full.energy())).containsExactly(3590.0, 230.2, 15.61, 152341.0);
        assertThat(full.timestamp()).isEqualTo(Instant.parse("2025-11-20T09:00:00.020Z"));
        assertThat(partial.source()).isEqualTo(Source.NOTIFY_STATUS);
        assertThat(partial.partial()).isTrue();
        assertThat(partial.power()).isEqualTo(3604.9);
        assertThat(partial.voltage()).as("a partial carries only what changed").isNull();
    }
}
