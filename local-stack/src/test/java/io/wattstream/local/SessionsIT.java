package io.wattstream.local;

import static io.wattstream.local.StackClient.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.wattstream.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A charging session of the simulator's charger profile (ramp, plateau, pause, taper), through the whole
 * local stack: it lands in charging_session, /api/sessions/, the CSV and the daily aggregate with energy
 * equal to the counter difference and the cost of each reading at its zone's price; a tariff corrected
 * afterwards is applied to the session by a replay.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionsIT {

    private static final String METER = "shellypro1pm-sess-1";
    private static final String SITE = "Garage";
    /** Device time per simulated tick: one charging cycle (360 ticks) in three minutes. */
    private static final double TICK_S = 0.5;

    private static LocalStack stack;
    private static final StackClient CLIENT = new StackClient(() -> stack);
    /** A fixed-offset zone where it is about noon now: the local day is far from its midnight. */
    private static ZoneId zone;
    private static Instant t0;
    /** Readings the gateway acknowledged. */
    private static int sent;

    @BeforeAll
    static void start() {
        int offset = 12 - Instant.now().atOffset(ZoneOffset.UTC).getHour();
        zone = ZoneId.of(offset >= 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + -offset);
        stack = LocalStack.start(Options.parse(new String[] {"--ephemeral", "--gateway-port", "0", "--query-port", "0",
                "--connect-port", "0", "--state-port", "0", "--kafka-port", "0", "--postgres-port", "0"}, Map.of()),
                new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String tariff(String morning, String afternoon) {
        return String.format(Locale.ROOT, "{\"site\":\"%s\",\"currency\":\"EUR\",\"time_zone\":\"%s\","
                + "\"valid_from\":\"2020-01-01\",\"zones\":[{\"name\":\"morning\",\"to\":\"12:00\",\"price_per_kwh\":%s},"
                + "{\"name\":\"afternoon\",\"from\":\"12:00\",\"price_per_kwh\":%s}]}", SITE, zone.getId(), morning, afternoon);
    }

    private static void reading(double power, double energy, Instant at) throws Exception {
        HttpResponse<String> r = CLIENT.post("/webhook/", String.format(Locale.ROOT,
                "{\"device_id\":\"%s\",\"power\":%s,\"voltage\":230.0,\"current\":%s,\"energy\":%s,\"timestamp\":\"%s\"}",
                METER, power, power / 230, energy, at));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        sent++;
    }

    /** Waits until every acknowledged reading is stored (the sessions' and the readings' connectors run apart). */
    private static void awaitEveryReadingStored() {
        await("every reading of " + METER + " stored", () -> CLIENT.query("select count(*) from measurement where device_id = '"
                + METER + "'").equals(List.of(Integer.toString(sent))));
    }

    /** One stored reading: its time, counter and delta, exactly as stored. */
    private record Row(Instant at, BigDecimal energy, BigDecimal delta) {
    }

    private static List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (String line : CLIENT.query("select replace((\"timestamp\" at time zone 'UTC')::text, ' ', 'T') || ' ' "
                + "|| energy::text || ' ' || energy_delta_wh::text "
                + "from measurement where device_id = '" + METER + "' order by \"timestamp\"")) {
            String[] p = line.split(" ");
            out.add(new Row(java.time.LocalDateTime.parse(p[0]).toInstant(ZoneOffset.UTC), new BigDecimal(p[1]),
                    new BigDecimal(p[2])));
        }
        return out;
    }

    /** Each delta at the price of its reading's own local time. */
    private static BigDecimal cost(List<Row> rows, String morning, String afternoon) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Row r : rows) {
            String price = r.at().atZone(zone).getHour() < 12 ? morning : afternoon;
            sum = sum.add(r.delta().multiply(new BigDecimal(price)).movePointLeft(3));
        }
        return sum;
    }

    private static List<Row> between(List<Row> rows, Instant from, Instant to) {
        return rows.stream().filter(r -> !r.at().isBefore(from) && !r.at().isAfter(to)).toList();
    }

    @Test
    @Order(1)
    void aSimulatedSessionLandsWithTheCounterDifferenceAndTheCostOfEachReadingAtItsPrice() throws Exception {
        assertThat(CLIENT.put("/api/tariffs/garage", tariff("0.21", "0.34")).statusCode()).isEqualTo(200);
        assertThat(CLIENT.put("/api/devices/" + METER, "{\"name\":\"Garage charger\",\"site\":\"" + SITE + "\","
                + "\"session_start_after_s\":5,\"session_end_after_s\":30}").statusCode()).isEqualTo(200);
        // Idle readings (the charger's first tick, again) until the stream processor prices them: tariff and
        // levels are in force. Device times run a little ahead of now (plausible up to 5 minutes).
        SimulatedDevice charger = new SimulatedDevice(METER, SimulatedDevice.Profile.CHARGER, 7, TICK_S, -1,
                Long.MAX_VALUE, Long.MAX_VALUE);
        SimulatedDevice.Sample idle = charger.next();
        Instant at = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (int i = 0; ; i++) {
            reading(idle.power(), idle.energyWh(), at);
            at = at.plusSeconds(1);
            if (!CLIENT.query("select currency from measurement where device_id = '" + METER + "' and currency = 'EUR'")
                    .isEmpty()) {
                break;
            }
            assertThat(i).as("the tariff in force within a minute").isLessThan(60);
            Thread.sleep(1000); // a device's pace: one idle reading a second
        }
        t0 = at;
        for (int tick = 1; tick < SimulatedDevice.CYCLE; tick++) {
            SimulatedDevice.Sample s = charger.next();
            reading(s.power(), s.energyWh(), t0.plusMillis(Math.round(tick * TICK_S * 1000)));
        }

        await("the closed session", () -> CLIENT.query("select state from charging_session where device_id = '"
                + METER + "'").equals(List.of("CLOSED")));
        awaitEveryReadingStored();
        JsonNode session = Json.MAPPER.readTree(CLIENT.get("/api/sessions/?device=" + METER)).path("results").get(0);
        Instant started = Instant.parse(session.path("started_at").asText());
        Instant ended = Instant.parse(session.path("ended_at").asText());
        List<Row> rows = rows();
        Row before = rows.stream().filter(r -> r.at().isBefore(started)).reduce((a, b) -> b).orElseThrow();
        Row end = rows.stream().filter(r -> r.at().equals(ended)).findFirst().orElseThrow();
        List<Row> in = between(rows, started, ended);

        assertThat(session.path("energy_wh").asDouble()).isCloseTo(end.energy().subtract(before.energy()).doubleValue(),
                within(1e-6));
        assertThat(session.path("pauses").asInt()).as("the car's pause").isEqualTo(1);
        assertThat(session.path("peak_power_w").asDouble()).isGreaterThan(3600);
        BigDecimal expected = cost(in, "0.21", "0.34");
        assertThat(session.path("cost").decimalValue()).isEqualByComparingTo(expected);
        assertThat(CLIENT.query("select cost::text from charging_session where device_id = '" + METER + "'"))
                .singleElement().satisfies(c -> assertThat(new BigDecimal(c)).isEqualByComparingTo(expected));
        assertThat(session.path("cost_rounded").decimalValue())
                .isEqualByComparingTo(expected.setScale(2, RoundingMode.HALF_UP));
        assertThat(session.path("currency").asText()).isEqualTo("EUR");

        Map<String, String> csv = csvRow();
        assertThat(csv).containsEntry("cost", expected.setScale(2, RoundingMode.HALF_UP).toPlainString())
                .containsEntry("currency", "EUR").containsEntry("pauses", "1")
                .containsEntry("energy_kwh", BigDecimal.valueOf(session.path("energy_wh").asDouble()).movePointLeft(3)
                        .setScale(3, RoundingMode.HALF_UP).toPlainString());

        // Today's daily aggregate (open, from the stream processor): every reading of the meter, all today.
        JsonNode day = Json.MAPPER.readTree(CLIENT.get("/api/energy/daily?device=" + METER)).path("results");
        assertThat(day).hasSize(1);
        assertThat(day.get(0).path("day").asText()).isEqualTo(t0.atZone(zone).toLocalDate().toString());
        assertThat(day.get(0).path("time_zone").asText()).isEqualTo(zone.getId());
        assertThat(day.get(0).path("open").asBoolean()).isTrue();
        assertThat(day.get(0).path("energy_wh").asDouble()).isCloseTo(
                rows.get(rows.size() - 1).energy().subtract(rows.get(0).energy()).doubleValue(), within(1e-6));
        assertThat(day.get(0).path("cost").decimalValue()).isEqualByComparingTo(cost(rows, "0.21", "0.34"));
    }

    @Test
    @Order(2)
    void aTariffCorrectedAfterTheFactIsAppliedToTheSessionByAReplay() throws Exception {
        assertThat(CLIENT.put("/api/tariffs/garage", tariff("0.25", "0.40")).statusCode()).isEqualTo(200);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = Main.replay(new String[] {"--from", t0.minusSeconds(60).toString(), "--kafka-port",
                Integer.toString(stack.kafka().port()), "--postgres-port", Integer.toString(stack.postgres().port())},
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("session events");

        JsonNode[] session = new JsonNode[1];
        List<Row> rows = rows();
        await("the session re-priced", () -> {
            try {
                session[0] = Json.MAPPER.readTree(CLIENT.get("/api/sessions/?device=" + METER)).path("results").get(0);
            } catch (Exception e) {
                return false;
            }
            if (session[0] == null || !session[0].has("cost")) {
                return false;
            }
            List<Row> in = between(rows, Instant.parse(session[0].path("started_at").asText()),
                    Instant.parse(session[0].path("ended_at").asText()));
            return session[0].path("cost").decimalValue().compareTo(cost(in, "0.25", "0.40")) == 0;
        });
        assertThat(CLIENT.query("select count(*) from charging_session where device_id = '" + METER + "'"))
                .containsExactly("1");
        // The readings' connector re-stores them apart from the sessions': every one re-priced in the end.
        await("every reading re-priced", () -> CLIENT.query("select count(*) from measurement where device_id = '" + METER
                + "' and \"timestamp\" >= '" + t0 + "' and price_per_kwh not in (0.25, 0.40)").equals(List.of("0")));
        assertThat(csvRow()).containsEntry("cost", session[0].path("cost").decimalValue()
                .setScale(2, RoundingMode.HALF_UP).toPlainString());
    }

    private static Map<String, String> csvRow() throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(CLIENT.get("/api/sessions.csv?device=" + METER))) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
