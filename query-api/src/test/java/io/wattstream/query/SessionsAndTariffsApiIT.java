package io.wattstream.query;

import static io.wattstream.query.QueryApiIT.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Json;
import io.wattstream.model.TariffSchedule;
import io.wattstream.model.Topics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tariffs, sessions and daily energy against real PostgreSQL and a real broker; the stream processor is down. */
class SessionsAndTariffsApiIT {

    private static final String DAY_NIGHT = """
            {"name":"Home day/night","site":"Home","currency":"eur","time_zone":"Europe/Berlin","valid_from":"2026-01-01",
             "zones":[{"name":"night","from":"00:00","to":"07:00","price_per_kwh":0.25},
                      {"name":"day","from":"07:00","to":"24:00","price_per_kwh":0.350}]}""";

    static TestStack stack;

    @BeforeAll
    static void start() {
        stack = new TestStack(Map.of());
        session("11111111-1111-3111-8111-111111111111", "bay-1", "Home", "CLOSED", "2026-10-25T05:30:00Z",
                "2026-10-25T06:31:00Z", 6100, "1.835", "EUR",
                "[{\"tariff_id\":\"dn\",\"zone\":\"night\",\"price_per_kwh\":0.25,\"energy_wh\":3000,\"cost\":0.75},"
                        + "{\"tariff_id\":\"dn\",\"zone\":\"day\",\"price_per_kwh\":0.35,\"energy_wh\":3100,\"cost\":1.085}]");
        session("22222222-2222-3222-8222-222222222222", "bay-2", "Depot", "CLOSED", "2026-10-26T10:00:00Z",
                "2026-10-26T11:00:00Z", 7000, null, null, "[]");
        session("33333333-3333-3333-8333-333333333333", "bay-1", "Home", "UPDATED", "2026-10-27T18:00:00Z", null,
                1200, "0.30", "EUR", "[]");
        day("bay-1", "Home", "2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 6100, "1.835");
        day("bay-3", "Home", "2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 900.5, "0.225125");
        day("bay-2", "Depot", "2026-10-25", "2026-10-24T23:00:00Z", "2026-10-25T23:00:00Z", 500, null);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static void session(String id, String device, String site, String state, String start, String end,
                                double wh, String cost, String currency, String zones) {
        stack.sql("insert into charging_session (session_id, device_id, device_name, site, state, started_at, ended_at, "
                + "last_reading_at, duration_s, energy_wh, peak_power_w, avg_power_w, pauses, cost, currency, zones, readings) "
                + "values ('" + id + "', '" + device + "', 'Bay', '" + site + "', '" + state + "', '" + start + "', "
                + (end == null ? "null" : "'" + end + "'") + ", '" + (end == null ? start : end) + "', 3660, " + wh
                + ", 6000, 6000, 1, " + cost + ", " + (currency == null ? "null" : "'" + currency + "'") + ", '" + zones
                + "', 62)");
    }

    private static void day(String device, String site, String day, String start, String end, double wh, String cost) {
        stack.sql("insert into measurement_1d (device_id, window_start, window_end, count, power_min, power_max, power_avg, "
                + "voltage_avg, current_avg, energy_wh, cost, currency, day, time_zone, site) values ('" + device + "', '"
                + start + "', '" + end + "', 10, 0, 1, 1, 230, 1, " + wh + ", " + cost + ", " + (cost == null ? "null" : "'EUR'")
                + ", '" + day + "', 'Europe/Berlin', '" + site + "')");
    }

    private static JsonNode ok(String path) {
        HttpResponse<String> res = stack.get(path);
        assertThat(res.statusCode()).as(path + " -> " + res.body()).isEqualTo(200);
        return json(res);
    }

    private static String error(HttpResponse<String> res, int status) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        return json(res).path("error").asText();
    }

    @Test
    void aValidTariffIsWrittenNormalisedToItsScopeOnShellyTariffs() throws Exception {
        HttpResponse<String> put = stack.put("/api/tariffs/home-dn", DAY_NIGHT);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        JsonNode t = json(put);
        assertThat(t.path("currency").asText()).isEqualTo("EUR");
        assertThat(t.path("valid_from").asText()).as("midnight in Berlin").isEqualTo("2025-12-31T23:00:00Z");
        assertThat(t.path("zones").get(1).path("price_per_kwh").decimalValue()).isEqualByComparingTo("0.35");
        assertThat(t.path("zones").get(1).path("days")).hasSize(7);

        assertThat(ok("/api/tariffs/home-dn").path("name").asText()).isEqualTo("Home day/night");
        assertThat(ok("/api/tariffs/?site=Home")).extracting(n -> n.path("tariff_id").asText()).contains("home-dn");
        ConsumerRecord<String, byte[]> record = lastOn(Topics.TARIFFS.name(), "site:Home");
        TariffSchedule schedule = Json.MAPPER.readValue(record.value(), TariffSchedule.class);
        assertThat(schedule.tariffs()).extracting(x -> x.tariffId()).containsExactly("home-dn");
    }

    @Test
    void overlappingOrGappedZonesAreA400NamingTheProblem() {
        String overlap = DAY_NIGHT.replace("\"to\":\"07:00\"", "\"to\":\"08:00\"");
        assertThat(error(stack.put("/api/tariffs/bad-1", overlap), 400))
                .isEqualTo("zones[0] 'night' and zones[1] 'day' overlap on MON 07:00-08:00: every minute of the week needs "
                        + "exactly one zone");
        String gap = DAY_NIGHT.replace("\"from\":\"07:00\"", "\"days\":[\"MON\",\"TUE\",\"WED\",\"THU\",\"FRI\"],\"from\":\"07:00\"");
        assertThat(error(stack.put("/api/tariffs/bad-2", gap), 400)).contains("leave SAT 07:00-24:00 without a price");
        assertThat(stack.get("/api/tariffs/bad-1").statusCode()).isEqualTo(404);
    }

    @Test
    void eachMalformedTariffFieldIsA400NamingIt() {
        assertThat(error(stack.put("/api/tariffs/m-1", DAY_NIGHT.replace("eur", "euro")), 400)).contains("field 'currency'");
        assertThat(error(stack.put("/api/tariffs/m-1", DAY_NIGHT.replace("Europe/Berlin", "Mars/Base")), 400))
                .contains("field 'time_zone'");
        assertThat(error(stack.put("/api/tariffs/m-1", DAY_NIGHT.replace("\"2026-01-01\"", "\"soon\"")), 400))
                .contains("field 'valid_from'");
        assertThat(error(stack.put("/api/tariffs/m-1", DAY_NIGHT.replace("0.350", "\"cheap\"")), 400))
                .contains("field 'zones[1].price_per_kwh'");
        assertThat(error(stack.put("/api/tariffs/m-1", DAY_NIGHT.replace("\"site\"", "\"sight\"")), 400))
                .contains("field 'sight' is not known");
        assertThat(error(stack.put("/api/tariffs/bad%20id", DAY_NIGHT), 400)).contains("parameter 'id'");
        assertThat(error(stack.put("/api/tariffs/m-1", "[]"), 400)).contains("JSON object");
    }

    @Test
    void aTariffOverlappingAnotherOfItsSiteIsRefusedAndAFollowUpIsTakenOnceTheFirstEnds() {
        String first = DAY_NIGHT.replace("\"Home\"", "\"Barn\"");
        assertThat(stack.put("/api/tariffs/barn-2026", first).statusCode()).isEqualTo(200);
        String second = first.replace("\"2026-01-01\"", "\"2026-07-01\"");
        assertThat(error(stack.put("/api/tariffs/barn-2026b", second), 400))
                .contains("tariff 'barn-2026b'", "overlaps tariff 'barn-2026'", "site 'Barn'");
        String ended = first.replace("\"valid_from\":\"2026-01-01\"", "\"valid_from\":\"2026-01-01\",\"valid_to\":\"2026-07-01\"");
        assertThat(stack.put("/api/tariffs/barn-2026", ended).statusCode()).isEqualTo(200);
        assertThat(stack.put("/api/tariffs/barn-2026b", second).statusCode()).isEqualTo(200);
        assertThat(ok("/api/tariffs/?site=Barn")).extracting(n -> n.path("tariff_id").asText())
                .containsExactly("barn-2026", "barn-2026b");

        assertThat(stack.delete("/api/tariffs/barn-2026b").statusCode()).isEqualTo(200);
        assertThat(stack.get("/api/tariffs/barn-2026b").statusCode()).isEqualTo(404);
        assertThat(stack.delete("/api/tariffs/barn-2026b").statusCode()).isEqualTo(404);
    }

    @Test
    void sessionsAreListedNewestFirstWithFiltersAndPagesLikeThePrototype() {
        JsonNode all = ok("/api/sessions/");
        assertThat(all.path("count").asLong()).isEqualTo(3);
        assertThat(all.path("results")).extracting(n -> n.path("started_at").asText())
                .containsExactly("2026-10-27T18:00:00Z", "2026-10-26T10:00:00Z", "2026-10-25T05:30:00Z");
        JsonNode first = all.path("results").get(2);
        assertThat(first.path("cost").decimalValue()).isEqualByComparingTo("1.835");
        assertThat(first.path("cost_rounded").asText()).isEqualTo("1.84");
        assertThat(first.path("zones")).hasSize(2);
        assertThat(first.path("live").asBoolean()).isFalse();
        assertThat(all.path("results").get(1).has("cost")).as("no tariff: no cost, never 0").isFalse();

        assertThat(ok("/api/sessions/?state=open").path("results")).extracting(n -> n.path("state").asText())
                .containsExactly("UPDATED");
        assertThat(ok("/api/sessions/?state=closed&site=Home").path("count").asLong()).isEqualTo(1);
        assertThat(ok("/api/sessions/?device=bay-1").path("count").asLong()).isEqualTo(2);
        // Overlap: 06:00-07:00 on the 25th meets the first session only; the open one runs on to now.
        assertThat(ok("/api/sessions/?start=2026-10-25T06:00:00Z&end=2026-10-25T07:00:00Z").path("results"))
                .extracting(n -> n.path("session_id").asText()).containsExactly("11111111-1111-3111-8111-111111111111");
        assertThat(ok("/api/sessions/?start=2026-11-01T00:00:00Z").path("results"))
                .extracting(n -> n.path("state").asText()).containsExactly("UPDATED");

        JsonNode page1 = ok("/api/sessions/?page_size=2");
        assertThat(page1.path("next").asText()).endsWith("/api/sessions/?page_size=2&page=2");
        assertThat(page1.path("previous").isNull()).isTrue();
        assertThat(ok("/api/sessions/?page_size=2&page=2").path("results")).hasSize(1);
        assertThat(error(stack.get("/api/sessions/?page_size=2&page=3"), 404)).contains("past the end");
        assertThat(error(stack.get("/api/sessions/?state=running"), 400)).contains("parameter 'state'");
    }

    @Test
    void oneSessionByIdAndA404ForAnUnknownOne() {
        assertThat(ok("/api/sessions/11111111-1111-3111-8111-111111111111").path("energy_wh").asDouble()).isEqualTo(6100);
        assertThat(error(stack.get("/api/sessions/99999999-9999-3999-8999-999999999999"), 404)).contains("no session");
        assertThat(error(stack.get("/api/sessions/not-an-id"), 400)).contains("parameter 'id'");
        assertThat(error(stack.get("/api/sessions/live"), 503)).contains("stream processor");
    }

    @Test
    void theCsvHasOneRowPerSessionWithTheCostRoundedForBilling() throws Exception {
        HttpResponse<String> res = stack.get("/api/sessions.csv?state=closed");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(res.headers().firstValue("Content-Disposition").orElse("")).contains("sessions.csv");
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(res.body())) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows).hasSize(2);
        Map<String, String> first = rows.get(1);
        assertThat(first).containsEntry("session_id", "11111111-1111-3111-8111-111111111111")
                .containsEntry("energy_kwh", "6.100").containsEntry("cost", "1.84").containsEntry("currency", "EUR")
                .containsEntry("zones", "dn night: 3.000 kWh 0.75 EUR; dn day: 3.100 kWh 1.09 EUR")
                .containsEntry("started_at", "2026-10-25T05:30:00Z");
        assertThat(rows.get(0)).containsEntry("cost", "").containsEntry("currency", "");
    }

    @Test
    void dailyEnergyPerMeterAndSummedPerSite() {
        JsonNode meters = ok("/api/energy/daily?start=2026-10-25&end=2026-10-25");
        assertThat(meters.path("open_day").asText()).isEqualTo("not_in_range");
        assertThat(meters.path("results")).extracting(n -> n.path("device_id").asText() + " " + n.path("energy_wh").asDouble()
                + " " + n.path("cost_rounded").asText("-")).containsExactly("bay-1 6100.0 1.84", "bay-2 500.0 -", "bay-3 900.5 0.23");
        JsonNode sites = ok("/api/energy/daily?start=2026-10-25&end=2026-10-25&group=site");
        assertThat(sites.path("results")).extracting(n -> n.path("site").asText() + " " + n.path("meters").asInt() + " "
                + n.path("energy_wh").asDouble() + " " + n.path("cost").asText("-"))
                .containsExactlyInAnyOrder("Home 2 7000.5 2.060125", "Depot 1 500.0 -");
        assertThat(ok("/api/energy/daily?start=2026-10-25&end=2026-10-25&site=Depot").path("results")).hasSize(1);
        assertThat(ok("/api/energy/daily").path("open_day").asText()).as("today, without the stream processor")
                .isEqualTo("unavailable");
        assertThat(error(stack.get("/api/energy/daily?start=25.10.2026"), 400)).contains("parameter 'start'");
        assertThat(error(stack.get("/api/energy/daily?start=2025-01-01&end=2026-10-25"), 400)).contains("400 days");
    }

    @Test
    void aDeviceTakesItsOwnSessionLevelsAndRefusesInconsistentOnes() {
        HttpResponse<String> put = stack.put("/api/devices/bay-9", "{\"name\":\"Bay 9\",\"session_start_w\":1000,"
                + "\"session_start_after_s\":0,\"session_standby_w\":200,\"session_end_after_s\":60}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        Poll.until("the device's levels", Duration.ofSeconds(20),
                () -> ok("/api/devices/bay-9").path("session_end_after_s").asDouble() == 60);
        assertThat(error(stack.put("/api/devices/bay-9", "{\"session_start_w\":100,\"session_standby_w\":200}"), 400))
                .contains("'session_standby_w'");
        assertThat(error(stack.put("/api/devices/bay-9", "{\"session_end_after_s\":0}"), 400)).contains("'session_end_after_s'");
    }

    private static ConsumerRecord<String, byte[]> lastOn(String topic, String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            ConsumerRecord<String, byte[]> last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        last = r;
                    }
                }
            }
            assertThat(last).as("a record of " + key + " on " + topic).isNotNull();
            return last;
        }
    }
}
