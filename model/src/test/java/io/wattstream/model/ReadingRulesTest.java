package io.wattstream.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReadingRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-20T09:00:00Z");

    private static RawReading reading(String device, Double power, Double voltage, boolean partial) {
        return RawReading.builder().deviceId(device).power(power).voltage(voltage).current(1.0)
                .energy(partial ? null : 5.0).at(NOW).source(RawReading.Source.FLAT_POST).partial(partial).build();
    }

    @Test
    void acceptsAPlausibleReading() {
        assertThatCode(() -> ReadingRules.validate(reading("shellypro1pm-a8032ab1c2d3", 3600.0, 230.0, false)))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsVoltageOutsidePhysicalBoundsNamingTheField() {
        assertThatThrownBy(() -> ReadingRules.validate(reading("d", 10.0, 5000.0, false)))
                .isInstanceOf(InvalidReadingException.class).hasMessageContaining("'voltage'");
    }

    @Test
    void boundsWithoutUnitReadCleanly() {
        RawReading r = RawReading.builder().deviceId("d").power(1.0).voltage(230.0).current(1.0).energy(5.0).at(NOW)
                .source(RawReading.Source.FLAT_POST).pf(1.5).build();
        assertThatThrownBy(() -> ReadingRules.validate(r))
                .hasMessage("field 'pf' is 1.5, outside the physical bounds [-1, 1]");
    }

    @Test
    void rejectsNaN() {
        assertThatThrownBy(() -> ReadingRules.validate(reading("d", Double.NaN, 230.0, false)))
                .hasMessageContaining("'power' must be a finite number");
    }

    @Test
    void rejectsMissingFieldUnlessPartial() {
        assertThatThrownBy(() -> ReadingRules.validate(reading("d", null, 230.0, false)))
                .hasMessageContaining("'power' is required");
        assertThatCode(() -> ReadingRules.validate(reading("d", null, 230.0, true))).doesNotThrowAnyException();
    }

    @Test
    void rejectsInvalidDeviceIds() {
        assertThatThrownBy(() -> ReadingRules.validate(reading("bad id", 1.0, 230.0, false)))
                .hasMessageContaining("'device_id'");
        assertThatThrownBy(() -> ReadingRules.validate(reading("x".repeat(65), 1.0, 230.0, false)))
                .hasMessageContaining("'device_id'");
    }
}
