package io.wattstream.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.ReadingRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile query parameters against the query API's parameter parsing (same package: {@code Params} is
 * internal): every value either parses into something within its documented range or is refused with
 * the 400 {@link ApiException} the error mapping answers; nothing else escapes.
 */
class QueryParamsPropertyTest {

    @Property(tries = 500)
    void everyParameterParsesOrIsA400(@ForAll("values") List<String> values) {
        Params p = new Params(Map.of("limit", values, "device", values, "start", values, "end", values,
                "granularity", values));
        expect400OrValid(() -> {
            int n = p.integer("limit", 100, 1, 10_000);
            assertThat(n).isBetween(1, 10_000);
        });
        expect400OrValid(() -> p.device("device").ifPresent(d -> assertThat(ReadingRules.validDeviceId(d)).isTrue()));
        expect400OrValid(() -> {
            Params.TimeRange r = p.range();
            if (r.start() != null && r.end() != null) {
                assertThat(r.start()).isBeforeOrEqualTo(r.end());
            }
        });
        expect400OrValid(() -> p.instant("start").ifPresent(t -> assertThat(t)
                .isBetween(Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"))));
        expect400OrValid(() -> assertThat(p.choice("granularity", "1m", Set.of("1m", "1h"))).isIn("1m", "1h"));
        expect400OrValid(() -> {
            Optional<String> s = p.string("device");
            s.ifPresent(v -> assertThat(v).isNotBlank());
        });
    }

    @Property(tries = 300)
    void instantsParseOrAre400(@ForAll("instants") String raw) {
        expect400OrValid(() -> assertThat(Params.parseInstant("start", raw)).isNotNull());
    }

    private static void expect400OrValid(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(400);
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(600);
        } catch (RuntimeException e) {
            throw new AssertionError("parameter parsing threw " + e, e);
        }
    }

    @Provide
    Arbitrary<List<String>> values() {
        Arbitrary<String> one = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(100),
                Arbitraries.strings().withCharRange('\u0000', '\uffff').ofMaxLength(30),
                Arbitraries.of("", " ", "0", "-1", "1", "10000", "10001", "2147483648", "-2147483649", "9223372036854775808",
                        "1e3", "0x10", "NaN", "\u0661\u0662", "+5", " 5 ", "5\u0000", "1m", "1H", "1d",
                        "' or 1=1 --", "x'); drop table measurement; --", "bay-1", "a".repeat(65), "${device}",
                        "2026-11-20T09:00:00Z", "2026-11-20", "2026-02-30", "2026-11-20T09:00:00 01:00",
                        "+999999999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "10000-01-01", "2026-11-20T25:00:00Z"),
                instants());
        return one.list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> instants() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789-:TZ+. ").ofMaxLength(35),
                Arbitraries.longs().between(-400_000_000_000_000L, 400_000_000_000_000L)
                        .map(s -> Instant.ofEpochSecond(s / 1000).toString()),
                Arbitraries.of("2026-11-20T09:00:00.123456789Z", "2026-11-20T09:00:00+18:00", "2026-11-20T09:00:00-18:01",
                        "9999-12-31T23:59:59.9999999Z", "0001-01-01T00:00:00Z", "2026-11-20T09:00", "2026-W47-1"));
    }
}
