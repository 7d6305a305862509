package io.wattstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    private final JsonSerde<RawReading> serde = new JsonSerde<>(RawReading.class);

    @Test
    void writesSnakeCaseFieldsAndMicrosecondInstants() {
        RawReading r = RawReading.builder().deviceId("dev-1").power(120.5).voltage(230.1).current(0.52).energy(10.2)
                .at(Instant.parse("2026-11-20T09:00:00.123456Z")).source(RawReading.Source.FLAT_POST)
                .temperatureC(21.5).build();
        String json = new String(serde.toBytes(r), StandardCharsets.UTF_8);
        assertThat(json).contains("\"device_id\":\"dev-1\"", "\"power\":120.5",
                "\"received_at\":\"2026-11-20T09:00:00.123456Z\"", "\"temperature_c\":21.5", "\"source\":\"FLAT_POST\"");
        assertThat(json).doesNotContain("\"freq\"");
        assertThat(serde.fromBytes(serde.toBytes(r))).isEqualTo(r);
    }

    @Test
    void unreadableValueThrowsSerializationException() {
        assertThatThrownBy(() -> serde.fromBytes("{\"power\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("RawReading");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> serde.fromBytes("{\"power\":1,\"power\":2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void ignoresFieldsItDoesNotKnow() {
        Device d = new JsonSerde<>(Device.class).fromBytes(
                "{\"device_id\":\"a\",\"name\":\"Bay 1\",\"colour\":\"red\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(d).isEqualTo(new Device("a", "Bay 1", null, null));
    }
}
