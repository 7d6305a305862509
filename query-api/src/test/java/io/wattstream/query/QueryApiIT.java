package io.wattstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Json;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every history endpoint against real PostgreSQL and a real broker; the stream processor is down. */
class QueryApiIT {

    static final Instant T0 = Instant.parse("2026-11-20T09:00:00.123456Z");
    static final String TRICKY_NAME = "Pump, \"North\"\nwing";
    static final String TRICKY_SITE = "Hall A; \"B\", C";
    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = new TestStack(Map.of());
        for (int i = 0; i < 25; i++) {
            stack.insertReading("ev-1", T0.plusSeconds(60L * i), 1000 + i, "Charger 1", "Depot");
        }
        for (int i = 0; i < 5; i++) {
            stack.insertReading("ev-2", T0.plusSeconds(60L * i + 30), 4000 + i, null, null);
        }
        stack.insertReading("csv-dev", T0.minus(Duration.ofDays(1)), 12.5, TRICKY_NAME, TRICKY_SITE);
        for (int i = 0; i < 5; i++) {
            Instant ws = Instant.parse("2026-11-20T09:00:00Z").plusSeconds(60L * i);
            stack.sql("insert into measurement_1m values ('ev-1', '" + ws + "', '" + ws.plusSeconds(60) + "', 60, 990, "
                    + (1010 + i) + ", 1000, 230, 4.3, 16.6)");
        }
        stack.sql("insert into alert values ('ev-1', 'POWER_OVER_THRESHOLD', '" + T0.plusSeconds(300)
                + "', 'RAISED', 3500, 3600, 3650, null, null)");
        stack.sql("insert into alert values ('ev-2', 'POWER_OVER_THRESHOLD', '" + T0.plusSeconds(60)
                + "', 'CLEARED', 3500, 3000, 4004, '" + T0.plusSeconds(120) + "', 60)");
        stack.sql("insert into alert values ('ev-1', 'DEVICE_OFFLINE', '" + T0.minusSeconds(3600)
                + "', 'CLEARED', null, null, null, '" + T0.minusSeconds(1800) + "', 1800)");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static JsonNode json(HttpResponse<String> res) {
        try {
            return Json.MAPPER.readTree(res.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + res.statusCode() + "): " + res.body(), e);
        }
    }

    static JsonNode ok(String path) {
        HttpResponse<String> res = stack.get(path);
        assertThat(res.statusCode()).as(path + " -> " + res.body()).isEqualTo(200);
        return json(res);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void listsMeasurementsNewestFirstInThePrototypesShape() {
        JsonNode page = ok("/api/measurements/");
        assertThat(page.path("count").asLong()).isEqualTo(31);
        assertThat(page.path("next").asText()).isEqualTo(stack.url("/api/measurements/?page=2"));
        assertThat(page.has("previous")).isTrue();
        assertThat(page.path("previous").isNull()).isTrue();
        assertThat(page.path("results")).hasSize(10);
        JsonNode first = page.path("results").get(0);
        assertThat(first.path("device_id").asText()).isEqualTo("ev-1");
        assertThat(first.path("timestamp").asText()).isEqualTo("2026-11-20T09:24:00.123456Z");
        assertThat(first.path("received_at").asText()).isEqualTo("2026-11-20T09:24:00.126456Z");
        for (String field : List.of("power", "voltage", "current", "energy", "timestamp", "device_id", "received_at",
                "source", "freq", "pf", "temperature_c", "output", "energy_delta_wh", "counter_reset", "over_threshold",
                "device_name", "site")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.path("power").asDouble()).isEqualTo(1024);
        assertThat(first.path("device_name").asText()).isEqualTo("Charger 1");
        List<Instant> times = new ArrayList<>();
        page.path("results").forEach(r -> times.add(Instant.parse(r.path("timestamp").asText())));
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void paginationLinksKeepTheOtherParametersAndWalkEveryRowOnce() {
        String first = "/api/measurements/?device=ev-1&page_size=10";
        JsonNode p1 = ok(first);
        assertThat(p1.path("count").asLong()).isEqualTo(25);
        assertThat(p1.path("next").asText()).isEqualTo(stack.url("/api/measurements/?device=ev-1&page_size=10&page=2"));
        JsonNode p2 = ok("/api/measurements/?device=ev-1&page_size=10&page=2");
        assertThat(p2.path("previous").asText()).isEqualTo(stack.url("/api/measurements/?device=ev-1&page_size=10"));
        Set<String> seen = new HashSet<>();
        String next = stack.url(first);
        int pages = 0;
        while (next != null) {
            JsonNode page = ok(next.substring(stack.url("").length()));
            page.path("results").forEach(r -> assertThat(seen.add(r.path("timestamp").asText())).isTrue());
            next = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25);
    }

    @Test
    void aPagePastTheEndIs404AndAnEmptyFirstPageIsNot() {
        HttpResponse<String> res = stack.get("/api/measurements/?device=ev-1&page=4");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(json(res).path("error").asText()).contains("page 4");
        JsonNode empty = ok("/api/measurements/?device=never-seen");
        assertThat(empty.path("count").asLong()).isZero();
        assertThat(empty.path("results")).isEmpty();
        assertThat(empty.path("next").isNull()).isTrue();
    }

    @Test
    void startAndEndAreInclusiveAndAcceptOffsets() {
        JsonNode page = ok("/api/measurements/?device=ev-1&start=" + T0.plusSeconds(60) + "&end=" + T0.plusSeconds(180));
        assertThat(page.path("count").asLong()).isEqualTo(3);
        // 10:01:00.123456+01:00 is 09:01:00.123456Z; an unencoded '+' arrives as a space and still works.
        JsonNode offset = ok("/api/measurements/?device=ev-1&start=2026-11-20T10:01:00.123456+01:00&end="
                + enc("2026-11-20T10:03:00.123456+01:00"));
        assertThat(offset.path("count").asLong()).isEqualTo(3);
        JsonNode all = ok("/api/measurements/?start=" + T0.plusSeconds(60) + "&page_size=100");
        assertThat(all.path("count").asLong()).isEqualTo(24 + 4); // ev-2 at T0+30s is before start
    }

    @Test
    void latestIsABareArrayWithDeviceAndLimit() {
        JsonNode latest = ok("/api/measurements/latest/");
        assertThat(latest.isArray()).isTrue();
        assertThat(latest).hasSize(10);
        JsonNode ev2 = ok("/api/measurements/latest?device=ev-2&limit=3");
        assertThat(ev2).hasSize(3);
        assertThat(ev2.get(0).path("power").asDouble()).isEqualTo(4004);
        ev2.forEach(r -> assertThat(r.path("device_id").asText()).isEqualTo("ev-2"));
    }

    @Test
    void latestFindsTheNewestReadingsHoweverOldTheyAre() {
        // Looked for in the last day, then the last month, then everywhere: each step is one of these.
        Instant now = Instant.now();
        for (Duration ago : List.of(Duration.ofDays(60), Duration.ofDays(10), Duration.ofHours(1))) {
            stack.insertReading("quiet-1", now.minus(ago), ago.toHours(), null, null);
        }
        assertThat(ok("/api/measurements/latest/?device=quiet-1&limit=1")).extracting(r -> r.path("power").asDouble())
                .containsExactly(1.0);
        assertThat(ok("/api/measurements/latest/?device=quiet-1&limit=2")).extracting(r -> r.path("power").asDouble())
                .containsExactly(1.0, 240.0);
        assertThat(ok("/api/measurements/latest/?device=quiet-1&limit=5")).extracting(r -> r.path("power").asDouble())
                .containsExactly(1.0, 240.0, 1440.0);
    }

    @Test
    void trailingSlashIsOptional() {
        for (String path : List.of("/api/measurements", "/api/measurements/", "/api/measurements/latest",
                "/api/measurements/latest/", "/api/alerts", "/api/alerts/", "/api/devices", "/api/devices/",
                "/api/devices/ev-1", "/api/devices/ev-1/", "/api/config", "/api/config/", "/api/aggregates",
                "/api/aggregates/", "/openapi", "/openapi/")) {
            // /api/config is routed both ways too; it answers 503 here only because the stream processor is down.
            assertThat(stack.get(path).statusCode()).as(path).isEqualTo(path.startsWith("/api/config") ? 503 : 200);
        }
    }

    @Test
    void csvExportEscapesCommasQuotesAndNewlines() throws Exception {
        HttpResponse<String> res = stack.get("/api/measurements.csv?device=csv-dev");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
        assertThat(res.body()).contains("\"Pump, \"\"North\"\"\nwing\"");
        List<Map<String, String>> rows = csvRows(res.body());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("device_name")).isEqualTo(TRICKY_NAME);
        assertThat(rows.get(0).get("site")).isEqualTo(TRICKY_SITE);
        assertThat(rows.get(0).get("timestamp")).isEqualTo("2026-11-19T09:00:00.123456Z");
        assertThat(rows.get(0).get("power")).isEqualTo("12.5");
    }

    @Test
    void csvExportHasEveryMatchingRowInOrder() throws Exception {
        List<Map<String, String>> rows = csvRows(stack.get("/api/measurements.csv?device=ev-1").body());
        assertThat(rows).hasSize(25);
        assertThat(rows.get(0).keySet()).startsWith("power", "voltage", "current", "energy", "timestamp", "device_id");
        assertThat(rows.get(0).get("timestamp")).isEqualTo("2026-11-20T09:24:00.123456Z");
        assertThat(rows.get(24).get("timestamp")).isEqualTo("2026-11-20T09:00:00.123456Z");
        List<Map<String, String>> none = csvRows(stack.get("/api/measurements.csv?device=never-seen").body());
        assertThat(none).isEmpty();
        assertThat(stack.get("/api/measurements.csv?device=never-seen").body().trim()).startsWith("power,voltage");
    }

    static List<Map<String, String>> csvRows(String body) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            return it.readAll();
        }
    }

    @Test
    void aggregatesReturnClosedWindowsInRange() {
        JsonNode agg = ok("/api/aggregates/?window=1m&device=ev-1&start=2026-11-20T09:01:00Z&end=2026-11-20T09:10:00Z");
        assertThat(agg.path("window").asText()).isEqualTo("1m");
        assertThat(agg.path("open_window").asText()).isEqualTo("not_in_range");
        assertThat(agg.path("results")).hasSize(4);
        JsonNode w = agg.path("results").get(0);
        assertThat(w.path("window_start").asText()).isEqualTo("2026-11-20T09:01:00Z");
        assertThat(w.path("power_max").asDouble()).isEqualTo(1011);
        assertThat(w.path("open").asBoolean()).isFalse();
        assertThat(ok("/api/aggregates/?window=1h&device=ev-1&start=2026-11-20T00:00:00Z&end=2026-11-21T00:00:00Z").path("results")).isEmpty();
    }

    @Test
    void eachWindowSaysHowManyReadingsReachedItAfterItHadClosed() {
        String late = "update measurement set late_1m = %s where device_id = 'ev-1' and \"timestamp\" >= '2026-11-20T09:02:00Z'"
                + " and \"timestamp\" < '2026-11-20T09:03:00Z'";
        stack.sql(String.format(late, "true"));
        try {
            JsonNode agg = ok("/api/aggregates/?window=1m&device=ev-1&start=2026-11-20T09:01:00Z&end=2026-11-20T09:03:00Z");
            assertThat(agg.path("results")).extracting(w -> w.path("window_start").asText() + " " + w.path("late_readings").asLong())
                    .containsExactly("2026-11-20T09:01:00Z 0", "2026-11-20T09:02:00Z 1", "2026-11-20T09:03:00Z 0");
            assertThat(ok("/api/aggregates/?window=1h&device=ev-1&start=2026-11-20T09:00:00Z&end=2026-11-20T09:00:00Z")
                    .path("results")).isEmpty();
        } finally {
            stack.sql(String.format(late, "false"));
        }
    }

    @Test
    void aggregatesPickTheLevelThatFitsTheRange() {
        // The same moment in each level, told apart by its count.
        Instant day = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(10));
        String[][] levels = {{"measurement_1m", "11"}, {"measurement_1h", "22"}, {"measurement_1d", "33"}};
        for (String[] l : levels) {
            stack.sql("insert into " + l[0] + " values ('levels-1', '" + day + "', '" + day.plusSeconds(60) + "', " + l[1]
                    + ", 1, 2, 1.5, 230, 0.1, 0.25)");
        }
        Instant now = Instant.now();
        String base = "/api/aggregates/?device=levels-1&start=";
        JsonNode aDay = ok(base + day.minus(Duration.ofHours(12)) + "&end=" + day.plus(Duration.ofHours(12)));
        assertThat(aDay.path("window").asText()).isEqualTo("1m");
        assertThat(aDay.path("results").get(0).path("count").asLong()).isEqualTo(11);
        JsonNode aMonth = ok(base + now.minus(Duration.ofDays(30)));
        assertThat(aMonth.path("window").asText()).isEqualTo("1h");
        assertThat(aMonth.path("results")).singleElement().satisfies(w -> assertThat(w.path("count").asLong()).isEqualTo(22));
        JsonNode aYear = ok(base + now.minus(Duration.ofDays(365)));
        assertThat(aYear.path("window").asText()).isEqualTo("1d");
        assertThat(aYear.path("results")).singleElement().satisfies(w -> assertThat(w.path("count").asLong()).isEqualTo(33));
        // Asked for explicitly, a level answers inside its retention.
        assertThat(ok(base + now.minus(Duration.ofDays(30)) + "&window=1d").path("results").get(0).path("count").asLong())
                .isEqualTo(33);
    }

    @Test
    void minutesPastTheirRetentionAre410NamingTheLevelsThatStillKeepTheRange() {
        Instant start = Instant.now().minus(Duration.ofDays(500));
        HttpResponse<String> res = stack.get("/api/aggregates/?window=1m&start=" + start + "&end=" + start.plus(Duration.ofDays(1)));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(410);
        assertThat(json(res).path("error").asText()).contains("1-minute aggregates are kept 400 days")
                .contains("window=1h").contains("window=1d");
        // Left to the API, the same range reads the hourly level.
        assertThat(ok("/api/aggregates/?start=" + start + "&end=" + start.plus(Duration.ofDays(1))).path("window").asText())
                .isEqualTo("1h");
    }

    @Test
    void rawReadingsPastTheirRetentionAre410NotAnEmptyPage() {
        String old = Instant.now().minus(Duration.ofDays(200)).toString();
        for (String path : List.of("/api/measurements/?start=" + old, "/api/measurements.csv?start=" + old,
                "/api/measurements/?end=" + old + "&device=ev-1")) {
            HttpResponse<String> res = stack.get(path);
            assertThat(res.statusCode()).as(path + " -> " + res.body()).isEqualTo(410);
            assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("application/json");
            assertThat(json(res).path("error").asText()).as(path).contains("raw readings are kept 90 days")
                    .contains("/api/aggregates/").contains("window=1m").contains("window=1h").contains("window=1d");
        }
        // Inside the retention nothing changed: an empty range is still a 200 with count 0.
        JsonNode recent = ok("/api/measurements/?device=nobody&start=" + Instant.now().minus(Duration.ofDays(10)));
        assertThat(recent.path("count").asLong()).isZero();
    }

    @Test
    void aggregatesUpToNowStillAnswerWhenTheStreamProcessorIsDown() {
        JsonNode agg = ok("/api/aggregates/?window=1h");
        assertThat(agg.path("open_window").asText()).isEqualTo("unavailable");
        assertThat(agg.path("results").isArray()).isTrue();
    }

    @Test
    void alertsFilterByStateDeviceAndTime() {
        JsonNode all = ok("/api/alerts/");
        assertThat(all).hasSize(3);
        assertThat(all.get(0).path("started_at").asText()).isEqualTo(T0.plusSeconds(300).toString());
        JsonNode active = ok("/api/alerts/?state=active");
        assertThat(active).hasSize(1);
        assertThat(active.get(0).path("state").asText()).isEqualTo("RAISED");
        assertThat(active.get(0).path("peak_w").asDouble()).isEqualTo(3650);
        assertThat(ok("/api/alerts/?device=ev-2")).hasSize(1);
        assertThat(ok("/api/alerts/?device=ev-1&start=" + T0)).hasSize(1);
        assertThat(ok("/api/alerts/?state=ALL&end=" + T0)).hasSize(1);
    }

    @Test
    void devicesListEveryDeviceWithItsLatestReading() {
        JsonNode devices = ok("/api/devices/");
        List<String> ids = new ArrayList<>();
        devices.forEach(d -> ids.add(d.path("device_id").asText()));
        assertThat(ids).contains("csv-dev", "ev-1", "ev-2");
        JsonNode ev1 = ok("/api/devices/ev-1");
        assertThat(ev1.path("last_reading").path("timestamp").asText()).isEqualTo("2026-11-20T09:24:00.123456Z");
        assertThat(ev1.path("live_status").asText()).isEqualTo("unavailable");
        // The default threshold is the stream processor's (LiveStateIT); without it there is none to show.
        assertThat(ev1.has("effective_threshold_w")).as(ev1.toString()).isFalse();
        HttpResponse<String> missing = stack.get("/api/devices/no-such-device");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").asText()).contains("no-such-device");
    }

    @Test
    void putDeviceWritesTheRegistryAndTheNextReadSeesIt() {
        HttpResponse<String> res = stack.put("/api/devices/ev-2", "{\"name\":\"Bay 2\",\"site\":\"Depot\",\"threshold_w\":7400}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(json(res).path("threshold_w").asDouble()).isEqualTo(7400);
        JsonNode ev2 = ok("/api/devices/ev-2");
        assertThat(ev2.path("name").asText()).isEqualTo("Bay 2");
        assertThat(ev2.path("registered").asBoolean()).isTrue();
        assertThat(ev2.path("effective_threshold_w").asDouble()).isEqualTo(7400);
        // A device may be registered before it sends anything.
        assertThat(stack.put("/api/devices/new-meter/", "{\"name\":\"Spare\"}").statusCode()).isEqualTo(200);
        assertThat(ok("/api/devices/new-meter").has("effective_threshold_w")).as("its default is the stream processor's").isFalse();
        List<String> ids = new ArrayList<>();
        ok("/api/devices").forEach(d -> ids.add(d.path("device_id").asText()));
        assertThat(ids).contains("new-meter");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"threshold_w\":0}                 | threshold_w",
            "{\"threshold_w\":-5}                | threshold_w",
            "{\"threshold_w\":100001}            | threshold_w",
            "{\"threshold_w\":1e400}             | threshold_w",
            "{\"threshold_w\":\"lots\"}          | threshold_w",
            "{\"treshold_w\":100}                | treshold_w",
            "{\"name\":\"a\\nb\"}                | name",
            "[1,2]                               | JSON object",
            "not json                            | JSON",
            "{\"name\":\"x\",\"name\":\"y\"}     | name",
    })
    void putDeviceRejectsAnInvalidBody(String body, String named) {
        HttpResponse<String> res = stack.put("/api/devices/ev-1", body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(json(res).path("error").asText()).contains(named);
    }

    @Test
    void putDeviceRefusesAnOversizedBody() {
        HttpResponse<String> res = stack.put("/api/devices/ev-1", "{\"name\":\"" + "x".repeat(100_000) + "\"}");
        // 413 where server.max-payload-size applies (application.yaml), else the 200-character rule.
        assertThat(res.statusCode()).isIn(400, 413);
    }

    @Test
    void putDeviceRejectsAnInvalidId() {
        HttpResponse<String> res = stack.put("/api/devices/" + "x".repeat(65), "{\"name\":\"n\"}");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(json(res).path("error").asText()).contains("'id'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/measurements/?start=yesterday                          | start",
            "/api/measurements/?start=2026-02-30T00:00:00Z               | start",
            "/api/measurements/?end=2026-13-01                           | end",
            "/api/measurements/?end=2026-11-20T25:00:00Z                 | end",
            "/api/measurements/?start=2026-11-21T00:00:00Z&end=2026-11-20T00:00:00Z | start",
            "/api/measurements/?start=+10000-01-01T00:00:00Z             | start",
            "/api/measurements/?page=abc                                 | page",
            "/api/measurements/?page=0                                   | page",
            "/api/measurements/?page=99999999999999999999                | page",
            "/api/measurements/?page_size=1001                           | page_size",
            "/api/measurements/?page_size=-1                             | page_size",
            "/api/measurements/?page_size=1.5                            | page_size",
            "/api/measurements/?device=bad%20id                          | device",
            "/api/measurements/?device=%27%3B%20drop%20table%20measurement%3B--| device",
            "/api/measurements/?page=1&page=2                            | page",
            "/api/measurements/latest/?limit=0                           | limit",
            "/api/measurements/latest/?limit=1001                        | limit",
            "/api/measurements/latest/?limit=ten                         | limit",
            "/api/measurements/latest/?device=" + "a/b                   | device",
            "/api/measurements.csv?start=2026-11-20T09:00:00Zjunk        | start",
            "/api/measurements.csv?start=2026-11-21&end=2026-11-20       | start",
            "/api/aggregates/?window=5m                                  | window",
            "/api/aggregates/?window=1m&start=2020-01-01T00:00:00Z&end=2026-01-01T00:00:00Z | start",
            "/api/aggregates/?window=1h&end=nope                         | end",
            "/api/alerts/?state=open                                     | state",
            "/api/alerts/?limit=100000                                   | limit",
            "/api/alerts/?start=2026-11-20T09:00:00Z&end=2026-11-19T09:00:00Z | start",
            "/api/stream?device=" + "%00                                 | device",
            "/api/devices/bad%20id                                       | id",
    })
    void invalidParametersGet400NamingTheParameter(String path, String param) {
        HttpResponse<String> res = stack.get(path);
        assertThat(res.statusCode()).as(path + " -> " + res.body()).isEqualTo(400);
        assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        assertThat(json(res).path("error").asText()).contains(param);
    }

    @Test
    void unknownApiPathsAndMalformedQueriesGetJsonErrors() {
        HttpResponse<String> unknown = stack.get("/api/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").asText()).contains("/api/nothing-here");
        HttpResponse<String> post = stack.send(stack.authorized("/api/measurements/")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        // An admin passes the access filter; the path does not take POST (RFC 9110: 405 with Allow).
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(json(post).path("error").asText()).contains("POST");
        // java.net.URI refuses to build this request; a raw socket sends it as a careless client would.
        assertThat(rawStatusLine("/api/measurements/?start=%zz")).contains(" 400 ");
    }

    static String rawStatusLine(String pathAndQuery) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", stack.api.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void configIsA503NamingTheStreamProcessorWhileItCannotTellTheThresholds() {
        HttpResponse<String> res = stack.get("/api/config");
        assertThat(res.statusCode()).isEqualTo(503);
        assertThat(json(res).path("error").asText()).contains("stream processor");
    }

    @Test
    void openApiDocumentParsesAndListsEveryRoute() throws Exception {
        HttpResponse<String> res = stack.get("/openapi");
        JsonNode doc = new YAMLMapper().readTree(res.body());
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        Set<String> paths = new HashSet<>();
        doc.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/api/measurements/", "/api/measurements/latest/", "/api/measurements.csv",
                "/api/aggregates/", "/api/alerts/", "/api/alerts/{id}/ack", "/api/devices/", "/api/devices/{id}", "/api/stream",
                "/api/config", "/api/session", "/api/notifications/", "/api/notifications/channels/",
                "/api/notifications/channels/{id}", "/api/notifications/routes/", "/api/notifications/routes/{id}",
                "/openapi", "/observe/health", "/observe/metrics", "/api/tariffs/", "/api/tariffs/{id}",
                "/api/sessions/", "/api/sessions/{id}", "/api/sessions/live", "/api/sessions.csv", "/api/energy/daily");
        assertThat(doc.path("paths").path("/api/devices/{id}").has("put")).isTrue();
        assertThat(doc.path("paths").path("/api/tariffs/{id}").has("put")).isTrue();
        // Every documented read is really served. The thresholds and the open sessions need the stream
        // processor and the deliveries the notifier, all down here; no channel, route, tariff or session exists.
        String noSession = "/api/sessions/11111111-1111-3111-8111-111111111111";
        Map<String, Integer> expected = Map.of("/api/config", 503, "/api/notifications/", 503,
                "/api/notifications/channels/nobody", 404, "/api/notifications/routes/nobody", 404,
                "/api/tariffs/nobody", 404, noSession, 404, "/api/sessions/live", 503);
        for (String p : paths) {
            if (!doc.path("paths").path(p).has("get") || p.equals("/api/stream")) {
                continue;
            }
            String concrete = p.equals("/api/sessions/{id}") ? noSession
                    : p.replace("/api/devices/{id}", "/api/devices/ev-1").replace("{id}", "nobody");
            HttpResponse<String> answer = stack.send(stack.authorized(concrete).GET().build());
            assertThat(answer.statusCode()).as(concrete + " -> " + answer.body()).isEqualTo(expected.getOrDefault(concrete, 200));
        }
    }

    @Test
    void healthAndMetricsAreServed() {
        Poll.until("health UP", Duration.ofSeconds(10), () -> stack.get("/observe/health").statusCode() == 200);
        assertThat(stack.get("/observe/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void servesTheDashboardAndUplotFromTheClasspath() {
        HttpResponse<String> index = stack.get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(index.body()).contains("webjars/uplot/dist/uPlot.iife.min.js");
        HttpResponse<String> uplot = stack.get("/webjars/uplot/dist/uPlot.iife.min.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot");
        assertThat(stack.get("/webjars/uplot/dist/uPlot.min.css").statusCode()).isEqualTo(200);
    }
}
