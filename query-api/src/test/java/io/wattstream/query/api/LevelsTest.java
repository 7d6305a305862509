package io.wattstream.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wattstream.query.db.Retention;
import io.wattstream.query.db.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LevelsTest {

    private static final Instant NOW = Instant.parse("2027-06-15T12:00:00Z");
    /** The defaults: raw readings 90 days, 1-minute aggregates 400 days, the others forever. */
    private static final Retention DEFAULTS = new Retention(Map.of("raw", Duration.ofDays(90), "1m", Duration.ofDays(400)));

    private static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    @Test
    void aDayReadsMinutesAMonthHoursAYearDays() {
        assertThat(Levels.choose(daysAgo(1), NOW, NOW, DEFAULTS)).isEqualTo(Window.ONE_MINUTE);
        assertThat(Levels.choose(daysAgo(2), NOW, NOW, DEFAULTS)).isEqualTo(Window.ONE_MINUTE);
        assertThat(Levels.choose(daysAgo(30), NOW, NOW, DEFAULTS)).isEqualTo(Window.ONE_HOUR);
        assertThat(Levels.choose(daysAgo(365), NOW, NOW, DEFAULTS)).isEqualTo(Window.ONE_DAY);
    }

    @Test
    void aShortRangePastTheMinutesRetentionReadsHours() {
        assertThat(Levels.choose(daysAgo(500), daysAgo(499), NOW, DEFAULTS)).isEqualTo(Window.ONE_HOUR);
    }

    @Test
    void askingForMinutesPastTheirRetentionIsGoneAndNamesTheLevelsThatKeepTheRange() {
        assertThatThrownBy(() -> Levels.require(Window.ONE_MINUTE, daysAgo(500), NOW, DEFAULTS))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(410);
                    assertThat(e.getMessage()).startsWith("1-minute aggregates are kept 400 days")
                            .contains("the oldest that can be asked for is " + daysAgo(400))
                            .contains("window=1h (1-hour aggregates, kept forever)")
                            .contains("window=1d (daily aggregates, kept forever)")
                            .doesNotContain("window=1m (");
                });
        assertThatCode(() -> Levels.require(Window.ONE_MINUTE, daysAgo(399), NOW, DEFAULTS)).doesNotThrowAnyException();
    }

    @Test
    void rawReadingsPastTheirRetentionAreGoneAndInsideItTheyAreNot() {
        assertThatThrownBy(() -> Levels.requireRaw(daysAgo(100), null, NOW, DEFAULTS))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(410);
                    assertThat(e.getMessage()).startsWith("raw readings are kept 90 days")
                            .contains("/api/aggregates/").contains("window=1m (").contains("window=1h (").contains("window=1d (");
                });
        assertThatThrownBy(() -> Levels.requireRaw(null, daysAgo(100), NOW, DEFAULTS)).hasMessageContaining("parameter 'end'");
        assertThatCode(() -> Levels.requireRaw(daysAgo(89), NOW, NOW, DEFAULTS)).doesNotThrowAnyException();
        assertThatCode(() -> Levels.requireRaw(null, null, NOW, DEFAULTS)).doesNotThrowAnyException();
        assertThatCode(() -> Levels.requireRaw(Instant.EPOCH, null, NOW, Retention.FOREVER)).doesNotThrowAnyException();
    }

    @Test
    void aRangeNoLevelKeepsAnyMoreSaysSo() {
        Retention everything = new Retention(Map.of("raw", Duration.ofDays(10), "1m", Duration.ofDays(20),
                "1h", Duration.ofDays(30), "1d", Duration.ofDays(40)));
        Window chosen = Levels.choose(daysAgo(60), daysAgo(50), NOW, everything);
        assertThatThrownBy(() -> Levels.require(chosen, daysAgo(60), NOW, everything))
                .hasMessageContaining("daily aggregates are kept 40 days").hasMessageContaining("no level keeps it any more");
    }
}
