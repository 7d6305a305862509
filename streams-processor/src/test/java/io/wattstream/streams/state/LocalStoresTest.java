package io.wattstream.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.Dirs;
import io.wattstream.model.JsonSerde;
import io.wattstream.model.RawReading;
import io.wattstream.model.WindowStats;
import io.wattstream.model.state.DeviceState;
import io.wattstream.streams.app.StreamsProperties;
import io.wattstream.streams.topology.StreamsTopology;
import io.wattstream.streams.topology.TopologySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code /state} answers for a device, read from the stores of the real topology. */
class LocalStoresTest {

    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    private static final String DEV = "shellypro1pm-a8032ab1c2d3";
    private static final JsonSerde<RawReading> RAW = new JsonSerde<>(RawReading.class);

    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;
    private LocalStores stores;

    @BeforeEach
    void start() throws Exception {
        stateDir = Files.createTempDirectory("wattstream-localstores-");
        Properties p = StreamsProperties.defaults();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "wattstream-test");
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(StreamsTopology.build(p), p, T0);
        raw = driver.createInputTopic(TopologySettings.from(p).rawTopic(), new StringSerializer(), new ByteArraySerializer());
        stores = new LocalStores(new LocalStores.Lookup() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> keyValue(String store) {
                return driver.getKeyValueStore(store);
            }
        }, "self:1", TopologySettings.from(p));
    }

    @AfterEach
    void stop() {
        driver.close();
        Dirs.deleteRecursively(stateDir);
    }

    private void send(double power, double energy, long seconds) {
        send(DEV, power, energy, seconds);
    }

    private void send(String device, double power, double energy, long seconds) {
        Instant at = T0.plusSeconds(seconds);
        RawReading r = RawReading.builder().deviceId(device).power(power).voltage(230.0).current(power / 230).energy(energy)
                .freq(50.0).pf(0.99).temperatureC(40.0).output(true).at(at).source(RawReading.Source.FLAT_POST).build();
        raw.pipeInput(device, RAW.toBytes(r), at);
    }

    @Test
    void theOpenHourAndDayHoldTheirClosedMinutesAndTheMinuteStillOpen() {
        send(1000, 100, 0);
        send(2000, 110, 30);
        send(3000, 130, 95);   // closes 09:00 (end + 30 s grace); 09:01 stays open

        DeviceState state = stores.device(DEV).orElseThrow();

        assertThat(state.latestReading().energy()).isEqualTo(130);
        WindowStats minute = state.windows().get(DeviceState.WINDOW_1M);
        assertThat(minute.windowStart()).isEqualTo(T0.plusSeconds(60));
        assertThat(minute.count()).isEqualTo(1);
        assertThat(minute.energyWh()).isEqualTo(20);
        WindowStats hour = state.windows().get(DeviceState.WINDOW_1H);
        assertThat(hour.windowStart()).isEqualTo(T0);
        assertThat(hour.count()).isEqualTo(3);
        assertThat(hour.energyWh()).isEqualTo(30);
        assertThat(hour.powerMax()).isEqualTo(3000);
        assertThat(hour.powerAvg()).isEqualTo(2000);
        WindowStats day = state.windows().get(DeviceState.WINDOW_1D);
        assertThat(day.day()).isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(day.count()).isEqualTo(3);
        assertThat(day.energyWh()).isEqualTo(30);
    }

    @Test
    void aClosedMinuteIsStillShownWhileTheMeterIsSilentAndGoesAfterItsRetention() {
        send(DEV, 1000, 100, 0);
        send(DEV, 1000, 101, 30);
        send("clock", 0, 0, 100);            // closes DEV's 09:00 minute

        WindowStats minute = stores.device(DEV).orElseThrow().windows().get(DeviceState.WINDOW_1M);
        assertThat(minute.windowStart()).isEqualTo(T0);
        assertThat(minute.count()).isEqualTo(2);

        send("clock", 0, 0, 60 + 30 * 60);   // 30 minutes after its end
        assertThat(stores.device(DEV).orElseThrow().windows()).doesNotContainKey(DeviceState.WINDOW_1M);
    }
}
