package io.wattstream.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Reads the plain JSON values of Wattstream's topics and hands them to Connect with the declared
 * schema of their topic ({@link SinkSchemas}).
 *
 * <p>Why it exists: the topics carry plain JSON (no schema envelope, no schema registry) because
 * their other subscribers — the live feed, the prototype's consumers — read them as such. The JDBC
 * sink, however, only writes records that have a Connect schema. Connect's {@code JsonConverter}
 * either demands the envelope ({@code schemas.enable=true}) or yields schemaless maps; this converter
 * supplies the schema that the topic's contract already fixes, and checks the value against it.
 *
 * <p>A value that is not a JSON object, lacks a required field, has a field of the wrong type or a
 * string PostgreSQL cannot store (NUL) raises a {@link DataException} — here, per record, rather than
 * in the database, where it would fail the whole batch and stop the task. With
 * {@code errors.tolerance=all} Connect then sends the original record to the dead letter queue with
 * its context headers and goes on with the next one. A null value (tombstone) converts to null.
 *
 * <p>Settings (with the {@code value.converter.} prefix in a connector config):
 * <ul>
 *   <li>{@code schema} — {@code reading}, {@code alert}, {@code alert_ack} or {@code window_stats}: the schema for every
 *       topic this converter sees, whatever its name.</li>
 *   <li>{@code topic.<name>} — the record type of a topic with another name (e.g. a renamed topic).</li>
 * </ul>
 * Without either, the pipeline's topic names choose the schema.
 */
public final class DeclaredSchemaJsonConverter implements Converter {

    public static final String SCHEMA_CONFIG = "schema";
    public static final String TOPIC_PREFIX = "topic.";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Costs are exact decimals: read every number with a fraction as written, never through a double
            // (a FLOAT64 field then takes the correctly rounded double of the same text).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(SCHEMA_CONFIG, ConfigDef.Type.STRING, null, ConfigDef.Importance.HIGH,
                    "Record type of every topic: reading, alert, alert_ack or window_stats. "
                            + "Unset: chosen by topic name (topic.<name> settings, then the pipeline's names).");

    private SinkSchemas.RecordType fixedType;
    private final Map<String, SinkSchemas.RecordType> topicTypes = new HashMap<>();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object fixed = configs.get(SCHEMA_CONFIG);
        fixedType = fixed == null || fixed.toString().isBlank() ? null : SinkSchemas.RecordType.parse(fixed.toString());
        topicTypes.clear();
        configs.forEach((key, value) -> {
            if (key.startsWith(TOPIC_PREFIX) && value != null) {
                topicTypes.put(key.substring(TOPIC_PREFIX.length()), SinkSchemas.RecordType.parse(value.toString()));
            }
        });
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    /** The schema this converter declares for a topic. */
    public Schema schemaFor(String topic) {
        return recordType(topic).schema();
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        Schema schema = schemaFor(topic);
        JsonNode json;
        try {
            json = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new DataException("value on " + topic + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DataException("value on " + topic + " cannot be read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new DataException("value on " + topic + " is not a JSON object");
        }
        Struct struct = new Struct(schema);
        for (Field field : schema.fields()) {
            struct.put(field, fieldValue(topic, field, json.get(field.name())));
        }
        return new SchemaAndValue(schema, struct);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Struct struct)) {
            throw new DataException("expected a Struct for " + topic + ", got " + value.getClass().getName());
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Field field : struct.schema().fields()) {
            Object v = struct.get(field);
            if (v != null) {
                node.set(field.name(), jsonValue(field, v));
            }
        }
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new DataException("cannot write " + topic + " value as JSON", e);
        }
    }

    /** A struct value as the model writes it: decimals without padding zeros, dates as text, JSON as JSON. */
    private static JsonNode jsonValue(Field field, Object v) {
        String name = field.schema().name();
        if (v instanceof java.math.BigDecimal d) {
            return JsonNodeFactory.instance.numberNode(d.signum() == 0 ? java.math.BigDecimal.ZERO : d.stripTrailingZeros());
        }
        if (v instanceof java.util.Date d && org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(name)) {
            return JsonNodeFactory.instance.textNode(d.toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString());
        }
        if (SinkSchemas.JSON.equals(name)) {
            try {
                return MAPPER.readTree(v.toString());
            } catch (JsonProcessingException e) {
                throw new DataException("field '" + field.name() + "' holds invalid JSON", e);
            }
        }
        return MAPPER.valueToTree(v);
    }

    private SinkSchemas.RecordType recordType(String topic) {
        if (fixedType != null) {
            return fixedType;
        }
        SinkSchemas.RecordType type = topicTypes.get(topic);
        if (type != null) {
            return type;
        }
        return SinkSchemas.forTopic(topic).orElseThrow(() -> new DataException("no declared schema for topic " + topic
                + ": set the converter's '" + SCHEMA_CONFIG + "' or '" + TOPIC_PREFIX + topic + "'"));
    }

    private static Object fieldValue(String topic, Field field, JsonNode node) {
        Schema schema = field.schema();
        if (node == null || node.isNull()) {
            if (schema.defaultValue() != null) {
                return schema.defaultValue();
            }
            if (schema.isOptional()) {
                return null;
            }
            throw new DataException("value on " + topic + " lacks required field '" + field.name() + "'");
        }
        if (SinkSchemas.JSON.equals(schema.name())) {
            if (!node.isContainerNode()) {
                throw wrongType(topic, field, "a JSON array or object");
            }
            return node.toString();
        }
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            return decimal(topic, field, node);
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(schema.name())) {
            return date(topic, field, node);
        }
        switch (schema.type()) {
            case STRING:
                if (!node.isTextual()) {
                    throw wrongType(topic, field, "a string");
                }
                if (node.textValue().indexOf('\u0000') >= 0) {
                    // PostgreSQL text cannot hold NUL: let it through and the whole batch fails, again and again.
                    throw new DataException("field '" + field.name() + "' on " + topic + " contains a NUL character");
                }
                return SinkSchemas.ZONED_TIMESTAMP.equals(schema.name()) ? utcInstant(topic, field, node.textValue()) : node.textValue();
            case FLOAT64:
                if (!node.isNumber()) {
                    throw wrongType(topic, field, "a number");
                }
                return node.doubleValue();
            case INT64:
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw wrongType(topic, field, "an integer");
                }
                return node.longValue();
            case INT32:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw wrongType(topic, field, "an integer");
                }
                return node.intValue();
            case BOOLEAN:
                if (!node.isBoolean()) {
                    throw wrongType(topic, field, "true or false");
                }
                return node.booleanValue();
            default:
                throw new DataException("unsupported schema type " + schema.type() + " for field '" + field.name() + "'");
        }
    }

    /** An exact number at the schema's scale; one that would need rounding is refused, never rounded. */
    private static java.math.BigDecimal decimal(String topic, Field field, JsonNode node) {
        if (!node.isNumber()) {
            throw wrongType(topic, field, "a number");
        }
        int scale = Integer.parseInt(field.schema().parameters().get(Decimal.SCALE_FIELD));
        try {
            return node.decimalValue().setScale(scale);
        } catch (ArithmeticException e) {
            throw new DataException("field '" + field.name() + "' on " + topic + " has more than " + scale + " decimals");
        }
    }

    /** An ISO-8601 date ({@code 2026-10-25}) as Connect's Date: midnight UTC of that day. */
    private static java.util.Date date(String topic, Field field, JsonNode node) {
        try {
            if (node.isTextual()) {
                return java.util.Date.from(java.time.LocalDate.parse(node.textValue()).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw wrongType(topic, field, "an ISO-8601 date (2026-10-25)");
    }

    /** Any ISO-8601 offset is accepted; the instant is kept to the nanosecond, written in UTC. */
    private static String utcInstant(String topic, Field field, String text) {
        if (isPlainUtc(text)) {
            return text; // as the model writes it: checked without the (much slower) formatter
        }
        OffsetDateTime t;
        try {
            // Parsed exactly as the sink will parse it, so nothing that passes here can fail a batch there.
            t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new DataException("field '" + field.name() + "' on " + topic + " is not an ISO-8601 time with offset");
        }
        OffsetDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC);
        if (utc.getYear() < 1 || utc.getYear() > 9999) {
            throw new DataException("field '" + field.name() + "' on " + topic + " is outside the years 1 to 9999");
        }
        return utc.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range, year 1 to 9999. */
    static boolean isPlainUtc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || n == 21 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return false;
        }
        if (n > 20) {
            if (s.charAt(19) != '.') {
                return false;
            }
            for (int i = 20; i < n - 1; i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        return year >= 1 && month >= 1 && month <= 12 && day >= 1
                && day <= java.time.YearMonth.of(year, month).lengthOfMonth()
                && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static DataException wrongType(String topic, Field field, String expected) {
        return new DataException("field '" + field.name() + "' on " + topic + " must be " + expected);
    }
}
