package io.wattstream.gateway.readings;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.ReadingRules;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import io.wattstream.gateway.MonotonicClock;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;

/**
 * Hostile input against the parser: whatever arrives, it either returns readings that meet every rule
 * or throws a {@link Rejection} (a 4xx) that says why. Anything else (an NPE, a number format error, a
 * stack overflow) would be a 500, so bad input could never be told apart from a broken gateway.
 */
class WebhookParserPropertiesTest {

    private static final List<String> SAMPLES = List.of("flat-post.json", "flat-post-device.json", "switch-status-post.json",
            "notify-status.json", "notify-full-status.json", "bad-missing-fields.txt", "bad-non-numeric.txt",
            "bad-truncated-json.txt");
    private static final List<String> QUERIES = List.of("flat-get.txt", "shelly-action-url.txt",
            "shelly-action-unsubstituted.txt", "bad-nan-query.txt");

    private static final String[] FIELDS = {"power", "apower", "voltage", "current", "energy", "timestamp", "ts",
            "device_id", "device", "src", "freq", "pf", "temperature", "temperature_c", "output", "method", "params",
            "switch:0", "aenergy", "total", "tC", "id", "token"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/x-www-form-urlencoded", "text/plain", "", "application/vnd.x+json", "multipart/form-data",
            "application/json;;;", "APPLICATION/JSON"};

    private final WebhookParser parser = new WebhookParser();
    private final MonotonicClock clock = new MonotonicClock();

    @Property(tries = 1500)
    void mutatedJsonSamplesAreParsedOrRejectedCleanly(@ForAll("mutatedJson") byte[] body) {
        checkOutcome(WebhookRequest.post("application/json", body));
    }

    @Property(tries = 1000)
    void mutatedQueriesAreParsedOrRejectedCleanly(@ForAll("mutatedQuery") String query) {
        checkOutcome(WebhookRequest.get(query));
    }

    @Property(tries = 500)
    void arbitraryBytesAreRejectedCleanly(@ForAll @Size(max = 400) byte[] body) {
        checkOutcome(WebhookRequest.post("application/json", body));
        checkOutcome(WebhookRequest.post("application/x-www-form-urlencoded", body));
    }

    @Property(tries = 400)
    void arbitraryRequestsAreRejectedOrValid(@ForAll("methods") String method, @ForAll("devices") String pathDevice,
                                             @ForAll("queries") String query, @ForAll("contentTypes") String contentType,
                                             @ForAll("bodies") String body) {
        checkOutcome(new WebhookRequest(method, pathDevice, query, contentType.isEmpty() ? null : contentType,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 300)
    void structuredJsonWithHostileValuesIsRejectedOrValid(@ForAll("readingJson") String body) {
        checkOutcome(WebhookRequest.post("application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 200)
    void shellyFramesWithHostileValuesAreRejectedOrValid(@ForAll("shellyJson") String body) {
        checkOutcome(WebhookRequest.post("application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 200)
    void hostileQueryStringsAreRejectedOrValid(@ForAll("readingQuery") String query) {
        checkOutcome(WebhookRequest.get(query));
        checkOutcome(WebhookRequest.post("application/x-www-form-urlencoded",
                query.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 30)
    void deepNestingIsRejectedNotOverflowed(@ForAll @IntRange(min = 1, max = 200_000) int depth,
                                            @ForAll("brackets") String open) {
        String close = open.equals("[") ? "]" : "}";
        String unit = open.equals("[") ? "[" : "{\"a\":";
        String body = unit.repeat(depth) + "1" + close.repeat(depth);
        checkOutcome(WebhookRequest.post("application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 100)
    void duplicateKeysAreRejected(@ForAll("fieldNames") String field, @ForAll("numbers") String a, @ForAll("numbers") String b) {
        String body = "{\"power\":1,\"voltage\":230,\"current\":1,\"energy\":1,\"" + field + "\":" + a + ",\"" + field
                + "\":" + b + "}";
        Throwable t = outcome(WebhookRequest.post("application/json", body.getBytes(StandardCharsets.UTF_8)));
        // Which value would win is ambiguous: strict duplicate detection refuses the body.
        assertThat(t).isInstanceOf(Rejection.class);
        assertThat(((Rejection) t).reason().status().code()).isBetween(400, 499);
    }

    @Property(tries = 100)
    void oversizedBatchesAreRejectedWithAClearError(@ForAll @IntRange(min = 501, max = 3000) int size) {
        String one = "{\"device_id\":\"b\",\"power\":1,\"voltage\":230,\"current\":1,\"energy\":1}";
        String body = "[" + String.join(",", Collections.nCopies(size, one)) + "]";
        Throwable t = outcome(WebhookRequest.post("application/json", body.getBytes(StandardCharsets.UTF_8)));
        assertThat(t).isInstanceOf(Rejection.class);
        assertThat(((Rejection) t).reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
        assertThat(t.getMessage()).contains("500");
    }

    /** Readings that meet every rule, or a 4xx rejection that says why in a few words; nothing else. */
    private void checkOutcome(WebhookRequest request) {
        Throwable t = outcome(request);
        if (t == null) {
            return;
        }
        assertThat(t).as("only a Rejection may escape the parser").isInstanceOf(Rejection.class);
        Rejection r = (Rejection) t;
        assertThat(r.reason().status().code()).as(r.getMessage()).isBetween(400, 499);
        assertThat(r.getMessage()).as("a rejection says why").isNotBlank();
        assertThat(r.getMessage().length()).as("a rejection does not echo the whole input").isLessThan(2000);
    }

    /** The rejection, or null when readings came out (each checked against every rule). */
    private Throwable outcome(WebhookRequest request) {
        try {
            List<RawReading> readings = parser.parse(request, clock);
            assertThat(readings).isNotEmpty();
            for (RawReading r : readings) {
                ReadingRules.validate(r); // throws for an invalid accepted reading: the property fails
                assertThat(r.timestamp()).isNotNull();
                assertThat(r.receivedAt()).isNotNull().isBefore(Instant.now().plusSeconds(1));
                if (!r.partial()) {
                    assertThat(List.of(r.power(), r.voltage(), r.current(), r.energy())).doesNotContainNull();
                }
            }
            return null;
        } catch (Rejection e) {
            return e;
        } catch (StackOverflowError | RuntimeException e) {
            throw new AssertionError("parser threw " + e + " for " + describe(request), e);
        }
    }

    private static String describe(WebhookRequest r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        return r.method() + " path=" + r.pathDeviceId() + " query=" + r.rawQuery() + " type=" + r.contentType()
                + " body=" + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }

    // --- generators --------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> mutatedJson() {
        return mutations(SAMPLES.stream().map(WebhookParserTest::sample).map(b -> new String(b, StandardCharsets.UTF_8)).toList(),
                List.of('"', '{', '}', '[', ']', ':', ',', '.', '-', 'e', '0', '9', ' ', '$', 'n'))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> mutatedQuery() {
        return mutations(QUERIES.stream().map(WebhookParserTest::getSample).map(WebhookRequest::rawQuery).toList(),
                List.of('&', '=', '%', '.', '-', 'e', '0', '9', '+', '$', 'a'));
    }

    /** A sample with a few characters replaced, inserted or deleted at random places. */
    private static Arbitrary<String> mutations(List<String> seeds, List<Character> alphabet) {
        Arbitrary<String> seed = Arbitraries.of(seeds);
        Arbitrary<List<int[]>> edits = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, alphabet.size() - 1))
                .as((kind, pos, ch) -> new int[] {kind, pos, ch})
                .list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(seed, edits).as((s, es) -> {
            StringBuilder b = new StringBuilder(s);
            for (int[] e : es) {
                if (b.isEmpty()) {
                    break;
                }
                int at = e[1] % b.length();
                char c = alphabet.get(e[2]);
                switch (e[0]) {
                    case 0 -> b.setCharAt(at, c);
                    case 1 -> b.insert(at, c);
                    default -> b.deleteCharAt(at);
                }
            }
            return b.toString();
        });
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "post", "PUT", "DELETE", "", "GE\u0000T");
    }

    @Provide
    Arbitrary<String> devices() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of("bay-1", "shellypro1pm-a8032ab1c2d3", "${device}", "a".repeat(65), "ü", "../../etc",
                        "x'; drop table measurement; --", "\u0000", " "));
    }

    @Provide
    Arbitrary<String> queries() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(200), readingQuery());
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(Arbitraries.of(CONTENT_TYPES), Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300), readingJson(), shellyJson(), readingQuery());
    }

    @Provide
    Arbitrary<String> brackets() {
        return Arbitraries.of("[", "{");
    }

    @Provide
    Arbitrary<String> fieldNames() {
        return Arbitraries.of(FIELDS);
    }

    /** Every numeric edge case, as JSON text (some deliberately not JSON numbers at all). */
    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "-0", "0.0", "-0.0", "1e308", "1e309", "-1e309", "1e-400", "4.9e-324",
                        "1.7976931348623157e308", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                        "1" + "0".repeat(400), "0." + "0".repeat(400) + "1", "1e99999999", "NaN", "Infinity", "-Infinity",
                        "\"NaN\"", "\"1e5\"", "\"12.5\"", "\" 12 \"", "\"\"", "null", "true", "[]", "{}", "01", "+1",
                        ".5", "5.", "0x10", "1_000", "\"\u0661\u0662\"", "1e", "--1", "2e-5", "100000", "100000.0001",
                        "-100000.0001", "1000", "1000.0000001", "-500.0000001", "500", "1e13", "1.0000001e13",
                        "\"${power}\"", "\"{power}\""),
                Arbitraries.doubles().map(d -> Double.toString(d)),
                Arbitraries.bigDecimals().ofScale(30).map(b -> b.toPlainString()),
                Arbitraries.longs().map(l -> Long.toString(l)));
    }

    @Provide
    Arbitrary<String> times() {
        return Arbitraries.oneOf(numbers(),
                Arbitraries.of("\"2026-11-20T09:00:00Z\"", "\"2026-11-20T09:00:00.123456789Z\"", "\"2026-02-30T09:00:00Z\"",
                        "\"+999999999-12-31T23:59:59Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"1970-01-01T00:00:00Z\"",
                        "\"2026-11-20 09:00:00\"", "\"2026-11-20T09:00:00+14:00\"", "\"2999-01-01T00:00:00Z\"",
                        "\"\u0032\u0030\u0032\u0036\"", "1763629260", "1763629260.410001", "-1", "253402300800",
                        "1e12", "17636292604100", "\"1763629260\""));
    }

    @Provide
    Arbitrary<String> readingJson() {
        Arbitrary<String> member = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings()
                        .ofMaxLength(10)), Arbitraries.oneOf(numbers(), times(), deviceJson()))
                .as((k, v) -> json(k) + ":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(12).map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> full = Combinators.combine(numbers(), numbers(), numbers(), numbers(), deviceJson(), times())
                .as((p, v, c, e, d, t) -> "{\"device_id\":" + d + ",\"power\":" + p + ",\"voltage\":" + v + ",\"current\":" + c
                        + ",\"energy\":" + e + ",\"timestamp\":" + t + "}");
        Arbitrary<String> single = Arbitraries.oneOf(object, full);
        return Arbitraries.oneOf(single, single.list().ofMaxSize(5).map(l -> "[" + String.join(",", l) + "]"));
    }

    @Provide
    Arbitrary<String> shellyJson() {
        Arbitrary<String> sw = Combinators.combine(numbers(), numbers(), numbers(), numbers(), numbers(), numbers())
                .as((p, v, c, e, f, t) -> "{\"apower\":" + p + ",\"voltage\":" + v + ",\"current\":" + c
                        + ",\"aenergy\":{\"total\":" + e + "},\"freq\":" + f + ",\"temperature\":{\"tC\":" + t + "}}");
        Arbitrary<String> partialSw = numbers().map(p -> "{\"apower\":" + p + "}");
        Arbitrary<String> anySw = Arbitraries.oneOf(sw, partialSw, Arbitraries.of("null", "[]", "1", "{}", "\"x\""));
        return Combinators.combine(deviceJson(), times(), anySw,
                        Arbitraries.of("NotifyStatus", "NotifyFullStatus", "NotifyEvent", "", "notifystatus"),
                        Arbitraries.integers().between(0, 2))
                .as((d, t, s, m, shape) -> switch (shape) {
                    case 0 -> "{\"src\":" + d + ",\"ts\":" + t + ",\"switch:0\":" + s + "}";
                    case 1 -> "{\"src\":" + d + ",\"method\":\"" + m + "\",\"params\":{\"ts\":" + t + ",\"switch:0\":" + s + "}}";
                    default -> "{\"src\":" + d + ",\"method\":\"" + m + "\",\"params\":" + s + "}";
                });
    }

    @Provide
    Arbitrary<String> readingQuery() {
        Arbitrary<String> value = Arbitraries.oneOf(numbers(), Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("%", "%zz", "%00", "%C3%28", "%E2%82", "+", "%2B1", "1%2E5", "${power}", "1e309"));
        Arbitrary<String> pair = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(FIELDS),
                        Arbitraries.strings().ofMaxLength(8)), value)
                .as((k, v) -> k + "=" + v.replace("\"", ""));
        return pair.list().ofMaxSize(10).map(l -> String.join("&", l));
    }

    private Arbitrary<String> deviceJson() {
        return Arbitraries.oneOf(Arbitraries.of("\"bay-1\"", "\"\"", "null", "1", "\"${device}\"", "\"a b\"",
                        "\"\\u0000\"", "\"\u00e9t\u00e9\"", "\"\ud83d\udd0c\"", "\"" + "x".repeat(100) + "\"", "{}", "[]"),
                Arbitraries.strings().ofMaxLength(70).map(WebhookParserPropertiesTest::json));
    }

    private static String json(String s) {
        return Json.MAPPER.valueToTree(s).toString();
    }
}
