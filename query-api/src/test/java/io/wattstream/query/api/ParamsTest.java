package io.wattstream.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {

    static Params params(String... kv) {
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return new Params(m);
    }

    static void rejected(Runnable r, String named) {
        assertThatThrownBy(r::run).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400))
                .hasMessageContaining(named);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-20T09:00:00Z              | 2026-11-20T09:00:00Z",
            "2026-11-20T09:00:00.123456Z       | 2026-11-20T09:00:00.123456Z",
            "2026-11-20T10:00:00+01:00         | 2026-11-20T09:00:00Z",
            "'2026-11-20T10:00:00 01:00'       | 2026-11-20T09:00:00Z",
            "2026-11-20T09:00:00               | 2026-11-20T09:00:00Z",
            "2026-11-20                        | 2026-11-20T00:00:00Z",
            "2026-11-20T04:00:00-05:00         | 2026-11-20T09:00:00Z",
    })
    void acceptsIso8601InItsUsualForms(String raw, String expected) {
        assertThat(Params.parseInstant("start", raw)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01", "2026-11-20T24:00:01Z", "yesterday", "1700000000",
            "2026-11-20T09:00:00Zjunk", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-11-20T09:00:00+25:00"})
    void refusesImpossibleOrUnparsableDates(String raw) {
        rejected(() -> Params.parseInstant("end", raw), "'end'");
    }

    @Test
    void refusesStartAfterEnd() {
        rejected(() -> params("start", "2026-11-21", "end", "2026-11-20").range(), "'start'");
        Params.TimeRange same = params("start", "2026-11-20", "end", "2026-11-20").range();
        assertThat(same.start()).isEqualTo(same.end());
        assertThat(params().range()).isEqualTo(new Params.TimeRange(null, null));
    }

    @Test
    void integersHaveDefaultsAndBounds() {
        assertThat(params().integer("page_size", 10, 1, 1000)).isEqualTo(10);
        assertThat(params("page_size", "1000").integer("page_size", 10, 1, 1000)).isEqualTo(1000);
        assertThat(params("page_size", "").integer("page_size", 10, 1, 1000)).isEqualTo(10);
        for (String bad : List.of("0", "1001", "-1", "1.5", "ten", "99999999999999999999", "0x10")) {
            rejected(() -> params("page_size", bad).integer("page_size", 10, 1, 1000), "'page_size'");
        }
    }

    @Test
    void choicesAreCaseInsensitiveAndNamed() {
        assertThat(params("state", "ACTIVE").choice("state", "all", Set.of("active", "all"))).isEqualTo("active");
        assertThat(params().choice("state", "all", Set.of("active", "all"))).isEqualTo("all");
        rejected(() -> params("state", "open").choice("state", "all", Set.of("active", "all")), "'state'");
    }

    @Test
    void deviceIdsFollowTheModelsRule() {
        assertThat(params("device", "shelly-pro1pm-a8032ab1").device("device")).contains("shelly-pro1pm-a8032ab1");
        assertThat(params("device", "").device("device")).isEmpty();
        for (String bad : List.of("a b", "x".repeat(65), "a/b", "\u0000", "é")) {
            rejected(() -> params("device", bad).device("device"), "'device'");
        }
    }

    @Test
    void aRepeatedParameterIsAmbiguous() {
        rejected(() -> params("page", "1", "page", "2").integer("page", 1, 1, 10), "more than once");
    }

    @Test
    void longValuesAreAbbreviatedInMessages() {
        assertThatThrownBy(() -> Params.parseInstant("start", "x".repeat(10_000)))
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    }
}
