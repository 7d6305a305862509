package io.wattstream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.model.WindowStats;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class DeclaredSchemaJsonConverterTest {

    private static final Instant T = Instant.parse("2026-11-20T09:00:00.123456Z");
    private static final Reading FULL = Reading.builder().deviceId("wallbox-1").power(3600.5).voltage(230.25)
            .current(15.625).energy(123456.75).timestamp(T).receivedAt(T.plusNanos(1_000))
            .source(RawReading.Source.FLAT_POST).freq(50.0).pf(0.98).temperatureC(40.5).output(true).energyDeltaWh(2.5)
            .overThreshold(true).deviceName("Wallbox").site("garage").energyReturned(12.5).energyReturnedDeltaWh(0.25)
            .energyFromPowerWh(2.4).implausibleJump(true).late1m(true).late1h(true).errors("overpower,overtemp")
            .cost(new BigDecimal("0.000750123456789")).currency("EUR").tariffId("home-dn").tariffZone("night")
            .pricePerKwh(new BigDecimal("0.300049")).build();
    private static final Reading SPARSE = Reading.builder().deviceId("wallbox-1").voltage(231).energy(5).timestamp(T)
            .receivedAt(T).counterReset(true).build();

    private static final ChargingSession SESSION = new ChargingSession("id-1", "wallbox-1", "Wallbox", "garage",
            ChargingSession.State.CLOSED, T, T.plusSeconds(3600), T.plusSeconds(3590), 3600, 7000.5, 7400, 7000.5, 2,
            new BigDecimal("2.123456789012345678").setScale(15, java.math.RoundingMode.DOWN), "EUR",
            List.of(new ChargingSession.ZoneShare("home-dn", "night", new BigDecimal("0.25"), 7000.5,
                    new BigDecimal("1.750125"))), 360, true, true);

    private final DeclaredSchemaJsonConverter byTopic = converter(Map.of());

    @Test
    void costsStayExactDecimalsAndOneThatWouldNeedRoundingIsRefused() throws Exception {
        Struct r = (Struct) byTopic.toConnectData(Topics.READINGS.name(), Json.MAPPER.writeValueAsBytes(FULL)).value();
        assertThat((BigDecimal) r.get("cost")).isEqualByComparingTo("0.000750123456789");
        assertThat(((BigDecimal) r.get("cost")).scale()).isEqualTo(SinkSchemas.COST_SCALE);
        assertThat((BigDecimal) r.get("price_per_kwh")).isEqualByComparingTo("0.300049");
        assertThatThrownBy(() -> byTopic.toConnectData(Topics.READINGS.name(), bytes(Json.MAPPER.writeValueAsString(FULL)
                .replace("0.000750123456789", "0.0007501234567891"))))
                .isInstanceOf(DataException.class).hasMessageContaining("'cost'").hasMessageContaining("15 decimals");
        Struct sparse = (Struct) byTopic.toConnectData(Topics.READINGS.name(), Json.MAPPER.writeValueAsBytes(SPARSE)).value();
        assertThat(sparse.get("cost")).as("no tariff: null, not 0").isNull();
    }

    @Test
    void aSessionCarriesItsZonesAsJsonAndADayItsDate() throws Exception {
        Struct s = (Struct) byTopic.toConnectData(Topics.SESSIONS.name(), Json.MAPPER.writeValueAsBytes(SESSION)).value();
        assertThat(s.schema()).isSameAs(SinkSchemas.RecordType.SESSION.schema());
        assertThat(s.getInt32("pauses")).isEqualTo(2);
        assertThat((BigDecimal) s.get("cost")).isEqualByComparingTo("2.123456789012345");
        assertThat(Json.MAPPER.readTree(s.getString("zones")).get(0).get("cost").decimalValue()).isEqualByComparingTo("1.750125");
        byte[] back = byTopic.fromConnectData(Topics.SESSIONS.name(), s.schema(), s);
        assertThat(Json.MAPPER.readValue(back, ChargingSession.class)).isEqualTo(SESSION);

        WindowStats day = new WindowStats("d", T, T.plusSeconds(90_000), 1, 1, 1, 1, 1, 1, 1, 1, 1, false,
                new BigDecimal("1.835"), "EUR", LocalDate.parse("2026-10-25"), "Europe/Berlin", "Home");
        Struct d = (Struct) byTopic.toConnectData(Topics.READINGS_1D.name(), Json.MAPPER.writeValueAsBytes(day)).value();
        assertThat(d.schema()).isSameAs(SinkSchemas.RecordType.DAILY_STATS.schema());
        assertThat(d.get("day")).isEqualTo(java.util.Date.from(Instant.parse("2026-10-25T00:00:00Z")));
        assertThat(Json.MAPPER.readValue(byTopic.fromConnectData(Topics.READINGS_1D.name(), d.schema(), d), WindowStats.class))
                .isEqualTo(day);
    }

    @Test
    void givesAModelReadingTheReadingSchemaWithEveryValue() throws Exception {
        SchemaAndValue sv = byTopic.toConnectData(Topics.READINGS.name(), Json.MAPPER.writeValueAsBytes(FULL));

        assertThat(sv.schema()).isSameAs(SinkSchemas.RecordType.READING.schema());
        Struct s = (Struct) sv.value();
        assertThat(s.getString("device_id")).isEqualTo("wallbox-1");
        assertThat(s.getFloat64("power")).isEqualTo(3600.5);
        assertThat(s.getFloat64("voltage")).isEqualTo(230.25);
        assertThat(s.getFloat64("current")).isEqualTo(15.625);
        assertThat(s.getFloat64("energy")).isEqualTo(123456.75);
        assertThat(s.getString("timestamp")).isEqualTo("2026-11-20T09:00:00.123456Z");
        assertThat(s.getString("received_at")).isEqualTo("2026-11-20T09:00:00.123457Z");
        assertThat(s.getString("source")).isEqualTo("FLAT_POST");
        assertThat(s.getFloat64("freq")).isEqualTo(50.0);
        assertThat(s.getFloat64("pf")).isEqualTo(0.98);
        assertThat(s.getFloat64("temperature_c")).isEqualTo(40.5);
        assertThat(s.getBoolean("output")).isTrue();
        assertThat(s.getFloat64("energy_delta_wh")).isEqualTo(2.5);
        assertThat(s.getBoolean("counter_reset")).isFalse();
        assertThat(s.getBoolean("over_threshold")).isTrue();
        assertThat(s.getString("device_name")).isEqualTo("Wallbox");
        assertThat(s.getString("site")).isEqualTo("garage");
        s.validate();
    }

    @Test
    void timestampsAreZonedTimestampStringsSoTheSinkKeepsMicroseconds() {
        Schema ts = SinkSchemas.RecordType.READING.schema().field("timestamp").schema();
        assertThat(ts.type()).isEqualTo(Schema.Type.STRING);
        assertThat(ts.name()).isEqualTo("io.debezium.time.ZonedTimestamp");
        assertThat(ts.isOptional()).isFalse();
        assertThat(SinkSchemas.RecordType.ALERT.schema().field("ended_at").schema().isOptional()).isTrue();
    }

    @Test
    void anyOffsetBecomesTheSameInstantInUtcWithItsFraction() {
        Struct s = readingWith("\"timestamp\":\"2026-11-20T10:00:00.123456+01:00\"");
        assertThat(s.getString("timestamp")).isEqualTo("2026-11-20T09:00:00.123456Z");
        assertThat(readingWith("\"timestamp\":\"2026-11-20T03:30:00-05:30\"").getString("timestamp"))
                .isEqualTo("2026-11-20T09:00:00Z");
    }

    @Test
    void rejectsATimeWithoutOffset() {
        assertThatThrownBy(() -> readingWith("\"timestamp\":\"2026-11-20T09:00:00.123\""))
                .isInstanceOf(DataException.class).hasMessageContaining("'timestamp'").hasMessageContaining("offset");
    }

    @Test
    void acceptsUtcTimesWithAnyFractionAndRejectsImpossibleDates() {
        assertThat(readingWith("\"timestamp\":\"2026-11-20T09:00:00.123456789Z\"").getString("timestamp"))
                .isEqualTo("2026-11-20T09:00:00.123456789Z");
        assertThat(readingWith("\"timestamp\":\"2028-02-29T23:59:59.5Z\"").getString("timestamp"))
                .isEqualTo("2028-02-29T23:59:59.5Z");
        for (String bad : List.of("2026-02-29T00:00:00Z", "2026-11-20T24:00:00Z", "2026-11-20T09:60:00Z",
                "2026-11-20T09:00:60Z", "2026-13-01T00:00:00Z", "0000-01-01T00:00:00Z",
                "2026-11-20 09:00:00Z", "2026-11-20T09:00:00.1234567890Z")) {
            assertThatThrownBy(() -> readingWith("\"timestamp\":\"" + bad + "\"")).as(bad)
                    .isInstanceOf(DataException.class).hasMessageContaining("'timestamp'");
        }
        assertThatThrownBy(() -> readingWith("\"timestamp\":\"0001-01-01T01:00:00+02:00\""))
                .isInstanceOf(DataException.class).hasMessageContaining("years");
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() throws Exception {
        Struct s = (Struct) byTopic.toConnectData(Topics.READINGS.name(), Json.MAPPER.writeValueAsBytes(SPARSE)).value();
        assertThat(s.get("source")).isNull();
        assertThat(s.get("freq")).isNull();
        assertThat(s.get("output")).isNull();
        assertThat(readingWith("\"site\":null").get("site")).isNull();
    }

    @Test
    void ignoresFieldsItDoesNotDeclare() {
        Struct s = readingWith("\"added_later\":{\"x\":1}");
        assertThat(s.schema().field("added_later")).isNull();
    }

    @Test
    void rejectsValuesThatAreNotJson() {
        assertThatThrownBy(() -> byTopic.toConnectData("shelly.readings", bytes("{\"device_id\": \"a\", ")))
                .isInstanceOf(DataException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> byTopic.toConnectData("shelly.readings", bytes("{} trailing")))
                .isInstanceOf(DataException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        for (String v : List.of("[1,2]", "42", "\"text\"", "", "null")) {
            assertThatThrownBy(() -> byTopic.toConnectData("shelly.readings", bytes(v)))
                    .as(v).isInstanceOf(DataException.class).hasMessageContaining("not a JSON object");
        }
    }

    @Test
    void rejectsAMissingOrNullRequiredField() throws Exception {
        JsonNode node = Json.MAPPER.valueToTree(FULL);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("voltage");
        assertThatThrownBy(() -> byTopic.toConnectData("shelly.readings", Json.MAPPER.writeValueAsBytes(node)))
                .isInstanceOf(DataException.class).hasMessageContaining("lacks required field 'voltage'");
        assertThatThrownBy(() -> readingWith("\"power\":null"))
                .isInstanceOf(DataException.class).hasMessageContaining("lacks required field 'power'");
    }

    @Test
    void rejectsAFieldOfTheWrongType() {
        assertThatThrownBy(() -> readingWith("\"power\":\"12.5\""))
                .isInstanceOf(DataException.class).hasMessageContaining("'power'").hasMessageContaining("number");
        assertThatThrownBy(() -> readingWith("\"counter_reset\":1"))
                .isInstanceOf(DataException.class).hasMessageContaining("'counter_reset'");
        assertThatThrownBy(() -> readingWith("\"device_id\":17"))
                .isInstanceOf(DataException.class).hasMessageContaining("'device_id'");
        assertThatThrownBy(() -> readingWith("\"timestamp\":1763629200"))
                .isInstanceOf(DataException.class).hasMessageContaining("'timestamp'");
    }

    @Test
    void rejectsAStringThatPostgresCannotStore() {
        assertThatThrownBy(() -> readingWith("\"site\":\"gar\\u0000age\""))
                .isInstanceOf(DataException.class).hasMessageContaining("'site'").hasMessageContaining("NUL");
    }

    @Test
    void rejectsAKeyGivenTwice() {
        assertThatThrownBy(() -> readingWith("\"power\":1.0,\"power\":2.0"))
                .isInstanceOf(DataException.class).hasMessageContaining("Duplicate field 'power'");
    }

    @Test
    void aNullValueIsATombstone() {
        assertThat(byTopic.toConnectData("shelly.readings", null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void aRecordWrittenBeforeTheNewerFieldsConvertsWithTheirDefaults() {
        Struct reading = (Struct) byTopic.toConnectData(Topics.READINGS.name(), bytes("{\"device_id\":\"d\",\"power\":1.0,"
                + "\"voltage\":230.0,\"current\":0.1,\"energy\":5.0,\"timestamp\":\"2026-11-20T09:00:00Z\","
                + "\"received_at\":\"2026-11-20T09:00:00Z\",\"energy_delta_wh\":0.5,\"counter_reset\":false,"
                + "\"over_threshold\":false}")).value();
        assertThat(reading.getFloat64("energy_returned_delta_wh")).isZero();
        assertThat(reading.getBoolean("late_1m")).isFalse();
        assertThat(reading.get("energy_returned")).isNull();
        Struct alert = (Struct) byTopic.toConnectData(Topics.ALERTS.name(), bytes("{\"device_id\":\"d\",\"kind\":"
                + "\"DEVICE_OFFLINE\",\"state\":\"RAISED\",\"started_at\":\"2026-11-20T09:00:00Z\"}")).value();
        assertThat(alert.getString("detail")).as("part of the key: never null").isEmpty();
    }

    @Test
    void convertsAlertsAndWindowAggregates() throws Exception {
        Alert cleared = new Alert("wallbox-1", Alert.Kind.POWER_OVER_THRESHOLD, Alert.State.CLEARED, 3000.0, 2000.0, 4000.0,
                T, T.plusSeconds(90), 90.0);
        Struct a = (Struct) byTopic.toConnectData(Topics.ALERTS.name(), Json.MAPPER.writeValueAsBytes(cleared)).value();
        assertThat(a.schema()).isSameAs(SinkSchemas.RecordType.ALERT.schema());
        assertThat(a.getString("kind")).isEqualTo("POWER_OVER_THRESHOLD");
        assertThat(a.getString("state")).isEqualTo("CLEARED");
        assertThat(a.getString("started_at")).isEqualTo("2026-11-20T09:00:00.123456Z");
        assertThat(a.getString("ended_at")).isEqualTo("2026-11-20T09:01:30.123456Z");
        assertThat(a.getFloat64("duration_s")).isEqualTo(90.0);

        Alert raised = new Alert("wallbox-1", Alert.Kind.DEVICE_OFFLINE, Alert.State.RAISED, null, null, null, T, null, null);
        Struct r = (Struct) byTopic.toConnectData(Topics.ALERTS.name(), Json.MAPPER.writeValueAsBytes(raised)).value();
        assertThat(r.get("ended_at")).isNull();
        assertThat(r.get("power_w")).isNull();

        WindowStats w = new WindowStats("wallbox-1", T, T.plusSeconds(60), 12, 1, 3, 2, 230, 1.5, 0.5, 0.25, 0.75, true);
        for (String topic : List.of(Topics.READINGS_1M.name(), Topics.READINGS_1H.name())) {
            Struct s = (Struct) byTopic.toConnectData(topic, Json.MAPPER.writeValueAsBytes(w)).value();
            assertThat(s.schema()).isSameAs(SinkSchemas.RecordType.WINDOW_STATS.schema());
            assertThat(s.getInt64("count")).isEqualTo(12L);
            assertThat(s.getString("window_end")).isEqualTo("2026-11-20T09:01:00.123456Z");
        }
        assertThatThrownBy(() -> byTopic.toConnectData(Topics.READINGS_1M.name(), bytes(
                Json.MAPPER.writeValueAsString(w).replace("\"count\":12", "\"count\":12.5"))))
                .isInstanceOf(DataException.class).hasMessageContaining("'count'");
    }

    @Test
    void aFixedSchemaOrATopicSettingServesTopicsWithOtherNames() throws Exception {
        byte[] value = Json.MAPPER.writeValueAsBytes(FULL);
        assertThatThrownBy(() -> byTopic.toConnectData("site-a.readings", value))
                .isInstanceOf(DataException.class).hasMessageContaining("no declared schema for topic site-a.readings");

        assertThat(converter(Map.of("schema", "reading")).toConnectData("site-a.readings", value).schema())
                .isSameAs(SinkSchemas.RecordType.READING.schema());
        assertThat(converter(Map.of("topic.site-a.readings", "READING")).toConnectData("site-a.readings", value).schema())
                .isSameAs(SinkSchemas.RecordType.READING.schema());
        assertThatThrownBy(() -> converter(Map.of("schema", "readings")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown record type 'readings'");
    }

    @Test
    void defaultTopicNamesAreThePipelines() {
        assertThat(SinkSchemas.forTopic(Topics.READINGS.name())).contains(SinkSchemas.RecordType.READING);
        assertThat(SinkSchemas.forTopic(Topics.ALERTS.name())).contains(SinkSchemas.RecordType.ALERT);
        assertThat(SinkSchemas.forTopic(Topics.ALERT_ACKS.name())).contains(SinkSchemas.RecordType.ALERT_ACK);
        assertThat(SinkSchemas.forTopic(Topics.READINGS_1M.name())).contains(SinkSchemas.RecordType.WINDOW_STATS);
        assertThat(SinkSchemas.forTopic(Topics.READINGS_1H.name())).contains(SinkSchemas.RecordType.WINDOW_STATS);
        assertThat(SinkSchemas.forTopic(Topics.RAW.name())).isEmpty();
    }

    @Test
    void eachSchemaDeclaresExactlyTheFieldsTheModelWrites() throws Exception {
        Alert alert = new Alert("d", Alert.Kind.DEVICE_OFFLINE, Alert.State.CLEARED, 1.0, 1.0, 1.0, T, T, 1.0);
        WindowStats w = new WindowStats("d", T, T, 1, 1, 1, 1, 1, 1, 1, 1, 1, false, BigDecimal.ONE, "EUR", null, null, null);
        WindowStats day = new WindowStats("d", T, T, 1, 1, 1, 1, 1, 1, 1, 1, 1, false, BigDecimal.ONE, "EUR",
                LocalDate.parse("2026-10-25"), "Europe/Berlin", "Home");
        assertThat(fieldNames(SinkSchemas.RecordType.READING.schema())).containsExactlyElementsOf(jsonFields(FULL));
        assertThat(fieldNames(SinkSchemas.RecordType.DAILY_STATS.schema())).containsExactlyElementsOf(jsonFields(day));
        assertThat(fieldNames(SinkSchemas.RecordType.SESSION.schema())).containsExactlyElementsOf(jsonFields(SESSION));
        assertThat(fieldNames(SinkSchemas.RecordType.ALERT.schema())).containsExactlyElementsOf(jsonFields(alert));
        assertThat(fieldNames(SinkSchemas.RecordType.WINDOW_STATS.schema())).containsExactlyElementsOf(jsonFields(w));
        AlertAck ack = new AlertAck("d", Alert.Kind.DEVICE_ERROR, T, "overtemp", "ops", T, "on it");
        assertThat(fieldNames(SinkSchemas.RecordType.ALERT_ACK.schema())).containsExactlyElementsOf(jsonFields(ack));
    }

    @Test
    void anAcknowledgementWithoutANoteConverts() throws Exception {
        AlertAck ack = new AlertAck("d", Alert.Kind.POWER_OVER_THRESHOLD, T, null, "admin", T.plusSeconds(5), null);
        Struct s = (Struct) byTopic.toConnectData(Topics.ALERT_ACKS.name(), Json.MAPPER.writeValueAsBytes(ack)).value();
        assertThat(s.getString("detail")).isEmpty();
        assertThat(s.getString("acked_by")).isEqualTo("admin");
        assertThat(s.getString("acked_at")).isEqualTo(T.plusSeconds(5).toString());
        assertThat(s.get("ack_note")).isNull();
        assertThat(byTopic.toConnectData(Topics.ALERT_ACKS.name(), null).value()).isNull();
    }

    @Test
    void writesAStructBackAsThePlainJsonItCameFrom() throws Exception {
        byte[] in = Json.MAPPER.writeValueAsBytes(FULL);
        SchemaAndValue sv = byTopic.toConnectData(Topics.READINGS.name(), in);
        byte[] out = byTopic.fromConnectData(Topics.READINGS.name(), sv.schema(), sv.value());
        assertThat(Json.MAPPER.readValue(out, Reading.class)).isEqualTo(FULL);
        assertThat(byTopic.fromConnectData(Topics.READINGS.name(), null, null)).isNull();
    }

    private Struct readingWith(String extraFields) {
        String json = new String(bytesOf(FULL), StandardCharsets.UTF_8);
        // Later duplicates would be rejected, so replace the field when it exists.
        String name = extraFields.substring(1, extraFields.indexOf('"', 1));
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove(name);
        String base = node.toString();
        String merged = base.substring(0, base.length() - 1) + "," + extraFields + "}";
        return (Struct) byTopic.toConnectData(Topics.READINGS.name(), bytes(merged)).value();
    }

    private static byte[] bytesOf(Object o) {
        try {
            return Json.MAPPER.writeValueAsBytes(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fieldNames(Schema schema) {
        return schema.fields().stream().map(Field::name).toList();
    }

    private static List<String> jsonFields(Object record) {
        List<String> names = new ArrayList<>();
        Json.MAPPER.valueToTree(record).fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static DeclaredSchemaJsonConverter converter(Map<String, String> config) {
        DeclaredSchemaJsonConverter c = new DeclaredSchemaJsonConverter();
        c.configure(config, false);
        return c;
    }
}
