package io.wattstream.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceUpdateTest {

    @Test
    void thresholdMustBeFinitePositiveAndAtMost100kW() {
        for (double bad : new double[] {0, -1, 100_000.001, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new DeviceUpdate("n", "s", bad, null).validated())
                    .isInstanceOf(ApiException.class).hasMessageContaining("threshold_w");
        }
        assertThat(new DeviceUpdate("n", "s", 100_000.0, null).validated().thresholdW()).isEqualTo(100_000.0);
        assertThat(new DeviceUpdate(null, null, null, null).validated().thresholdW()).isNull();
    }

    @Test
    void maximumPowerMustBeFinitePositiveAndAtMost100kW() {
        for (double bad : new double[] {0, -5, 100_001, Double.NaN}) {
            assertThatThrownBy(() -> new DeviceUpdate("n", "s", null, bad).validated())
                    .isInstanceOf(ApiException.class).hasMessageContaining("max_power_w");
        }
        assertThat(new DeviceUpdate("n", "s", null, 3680.0).validated().maxPowerW()).isEqualTo(3680.0);
    }

    @Test
    void namesAreBoundedAndSingleLine() {
        assertThatThrownBy(() -> new DeviceUpdate("x".repeat(201), null, null, null).validated()).hasMessageContaining("name");
        assertThatThrownBy(() -> new DeviceUpdate(null, "a\nb", null, null).validated()).hasMessageContaining("site");
        assertThat(new DeviceUpdate("Pump, \"North\"", "Hall A", 7400.0, null).validated().name()).isEqualTo("Pump, \"North\"");
    }
}
