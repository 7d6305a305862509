package io.wattstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.model.RawReading;
import io.wattstream.model.ReadingRules;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever arrives, the parser either returns readings that meet every rule or throws a
 * {@link Rejection} (a 4xx): no other exception, so bad input can never become a 500.
 */
class WebhookParserPropertiesTest {

    private static final List<String> SAMPLES = List.of("flat-post.json", "flat-post-device.json", "switch-status-post.json",
            "notify-status.json", "notify-full-status.json", "bad-missing-fields.txt", "bad-non-numeric.txt",
            "bad-truncated-json.txt");
    private static final List<String> QUERIES = List.of("flat-get.txt", "shelly-action-url.txt",
            "shelly-action-unsubstituted.txt", "bad-nan-query.txt");

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
    void arbitraryBytesAreRejectedCleanly(@ForAll byte[] body) {
        checkOutcome(WebhookRequest.post("application/json", body));
        checkOutcome(WebhookRequest.post("application/x-www-form-urlencoded", body));
    }

    private void checkOutcome(WebhookRequest request) {
        try {
            List<RawReading> readings = parser.parse(request, clock);
            assertThat(readings).isNotEmpty();
            readings.forEach(ReadingRules::validate);
            readings.forEach(r -> assertThat(r.receivedAt()).isBefore(Instant.now().plusSeconds(1)));
        } catch (Rejection e) {
            assertThat(e.reason().status().code()).isBetween(400, 499);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

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
}
