package io.wattstream.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "250ms, PT0.25S",
            "30s, PT30S",
            "5m, PT5M",
            "2h, PT2H",
            "1d, PT24H",
            "0ms, PT0S",
            "' 10S ', PT10S",
            "PT5M, PT5M",
            "pt0.1s, PT0.1S",
            "P1DT2H, PT26H"})
    void readsEveryFormWithAUnit(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"300", "1500", "0", "2.5"})
    void refusesABareNumberAndSaysWhichFormsWork(String bare) {
        assertThatThrownBy(() -> Durations.parse(bare))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a unit")
                .hasMessageContaining("30s")
                .hasMessageContaining("PT5M");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"soon", "5 minutes", "5min", "-5s", "PT", "", "1.5s"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Durations.FORMS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT-5S", "-PT5S"})
    void refusesANegativeIsoDuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("negative");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({"PT0.1S, 100ms", "PT0S, 0ms", "PT30S, 30s", "PT90S, 90s", "PT5M, 5m", "PT2H, 2h", "PT48H, 2d", "PT1.5S, 1500ms"})
    void formatsInTheLargestWholeUnitAndReadsBackTheSame(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }
}
