package io.wattstream.sink;

import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The declared Connect schema of every topic the JDBC sink writes, one per record type, field for
 * field the model records ({@code Reading}, {@code Alert}, {@code AlertAck}, {@code WindowStats},
 * {@code ChargingSession}) and the columns of the sink tables. Fields that the model always writes are required; nullable ones are optional.
 * Fields added after the first version carry a default, so records written before them still convert.
 *
 * <p>Instants are ISO-8601 strings under the schema name {@value #ZONED_TIMESTAMP}: the Debezium
 * sink writes those to {@code timestamptz} at full (microsecond) precision, whereas Connect's own
 * {@code Timestamp} logical type holds milliseconds and would merge readings 1 µs apart. Money is
 * Connect's {@code Decimal} (exact, fixed scale) into {@code numeric}; a session's zones are JSON under
 * Debezium's {@value #JSON} into {@code jsonb}; a local day is Connect's {@code Date} into {@code date}.
 */
public final class SinkSchemas {

    /** Debezium's semantic type for a zoned timestamp carried as an ISO-8601 string. */
    public static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";

    public static final Schema TIMESTAMP = zonedTimestamp(false);
    public static final Schema OPTIONAL_TIMESTAMP = zonedTimestamp(true);
    /** Debezium's semantic type for JSON text, which its PostgreSQL dialect writes to {@code json}/{@code jsonb}. */
    public static final String JSON = "io.debezium.data.Json";
    /** Exact costs: a reading's cost has at most 15 decimals (6 of energy, 6 of price, 3 from Wh to kWh). */
    public static final int COST_SCALE = 15;
    public static final int PRICE_SCALE = 6;
    private static final Schema COST = Decimal.builder(COST_SCALE).optional().build();
    private static final Schema PRICE = Decimal.builder(PRICE_SCALE).optional().build();
    private static final Schema DAY = org.apache.kafka.connect.data.Date.builder().optional().build();
    /** A number or flag added in a later version: records without it read as 0 / false. */
    private static final Schema ZERO = SchemaBuilder.float64().defaultValue(0.0).build();
    private static final Schema FALSE = SchemaBuilder.bool().defaultValue(false).build();

    /** The record types, by the name a connector config uses ({@code value.converter.schema}). */
    public enum RecordType {
        READING(SchemaBuilder.struct().name("io.wattstream.Reading").version(1)
                .field("device_id", Schema.STRING_SCHEMA)
                .field("power", Schema.FLOAT64_SCHEMA)
                .field("voltage", Schema.FLOAT64_SCHEMA)
                .field("current", Schema.FLOAT64_SCHEMA)
                .field("energy", Schema.FLOAT64_SCHEMA)
                .field("timestamp", TIMESTAMP)
                .field("received_at", TIMESTAMP)
                .field("source", Schema.OPTIONAL_STRING_SCHEMA)
                .field("freq", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("pf", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("temperature_c", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("output", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                .field("energy_delta_wh", Schema.FLOAT64_SCHEMA)
                .field("counter_reset", Schema.BOOLEAN_SCHEMA)
                .field("over_threshold", Schema.BOOLEAN_SCHEMA)
                .field("device_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("site", Schema.OPTIONAL_STRING_SCHEMA)
                .field("energy_returned", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("energy_returned_delta_wh", ZERO)
                .field("energy_from_power_wh", ZERO)
                .field("implausible_jump", FALSE)
                .field("late_1m", FALSE)
                .field("late_1h", FALSE)
                .field("errors", Schema.OPTIONAL_STRING_SCHEMA)
                .field("cost", COST)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tariff_id", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tariff_zone", Schema.OPTIONAL_STRING_SCHEMA)
                .field("price_per_kwh", PRICE)
                .build()),
        ALERT(SchemaBuilder.struct().name("io.wattstream.Alert").version(1)
                .field("device_id", Schema.STRING_SCHEMA)
                .field("kind", Schema.STRING_SCHEMA)
                .field("state", Schema.STRING_SCHEMA)
                .field("threshold_w", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("power_w", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("peak_w", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("started_at", TIMESTAMP)
                .field("ended_at", OPTIONAL_TIMESTAMP)
                .field("duration_s", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("detail", SchemaBuilder.string().defaultValue("").build())
                .build()),
        /** An acknowledgement: the alert's identity and the ack columns of its row. */
        ALERT_ACK(SchemaBuilder.struct().name("io.wattstream.AlertAck").version(1)
                .field("device_id", Schema.STRING_SCHEMA)
                .field("kind", Schema.STRING_SCHEMA)
                .field("started_at", TIMESTAMP)
                .field("detail", SchemaBuilder.string().defaultValue("").build())
                .field("acked_by", Schema.STRING_SCHEMA)
                .field("acked_at", TIMESTAMP)
                .field("ack_note", Schema.OPTIONAL_STRING_SCHEMA)
                .build()),
        WINDOW_STATS(window("io.wattstream.WindowStats").build()),
        /** A daily aggregate: a window with its local day, time zone and site. */
        DAILY_STATS(window("io.wattstream.DailyStats")
                .field("day", DAY)
                .field("time_zone", Schema.OPTIONAL_STRING_SCHEMA)
                .field("site", Schema.OPTIONAL_STRING_SCHEMA)
                .build()),
        SESSION(SchemaBuilder.struct().name("io.wattstream.ChargingSession").version(1)
                .field("session_id", Schema.STRING_SCHEMA)
                .field("device_id", Schema.STRING_SCHEMA)
                .field("device_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("site", Schema.OPTIONAL_STRING_SCHEMA)
                .field("state", Schema.STRING_SCHEMA)
                .field("started_at", TIMESTAMP)
                .field("ended_at", OPTIONAL_TIMESTAMP)
                .field("last_reading_at", TIMESTAMP)
                .field("duration_s", Schema.FLOAT64_SCHEMA)
                .field("energy_wh", Schema.FLOAT64_SCHEMA)
                .field("peak_power_w", Schema.FLOAT64_SCHEMA)
                .field("avg_power_w", Schema.FLOAT64_SCHEMA)
                .field("pauses", Schema.INT32_SCHEMA)
                .field("cost", COST)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
                .field("zones", SchemaBuilder.string().name(JSON).version(1).defaultValue("[]").build())
                .field("readings", Schema.INT64_SCHEMA)
                .field("counter_reset", FALSE)
                .field("offline", FALSE)
                .build());

        private final Schema schema;

        RecordType(Schema schema) {
            this.schema = schema;
        }

        public Schema schema() {
            return schema;
        }

        /** {@code reading}, {@code alert}, {@code alert_ack}, {@code window_stats}, {@code daily_stats} or {@code session} (case-insensitive). */
        public static RecordType parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown record type '" + name
                        + "', expected one of reading, alert, alert_ack, window_stats, daily_stats, session", e);
            }
        }
    }

    /**
     * The record type a pipeline topic carries by default (names as in {@code io.wattstream.model.Topics},
     * a test keeps them equal). Spelled out here so the converter jar needs nothing but the Connect API
     * and Jackson, which every Connect worker has.
     */
    public static Optional<RecordType> forTopic(String topic) {
        return Optional.ofNullable(switch (topic) {
            case "shelly.readings" -> RecordType.READING;
            case "shelly.alerts" -> RecordType.ALERT;
            case "shelly.alert-acks" -> RecordType.ALERT_ACK;
            case "shelly.readings.1m", "shelly.readings.1h" -> RecordType.WINDOW_STATS;
            case "shelly.readings.1d" -> RecordType.DAILY_STATS;
            case "shelly.sessions" -> RecordType.SESSION;
            default -> null;
        });
    }

    /** The fields every window aggregate has (1 minute, 1 hour, a day). */
    private static SchemaBuilder window(String name) {
        return SchemaBuilder.struct().name(name).version(1)
                .field("device_id", Schema.STRING_SCHEMA)
                .field("window_start", TIMESTAMP)
                .field("window_end", TIMESTAMP)
                .field("count", Schema.INT64_SCHEMA)
                .field("power_min", Schema.FLOAT64_SCHEMA)
                .field("power_max", Schema.FLOAT64_SCHEMA)
                .field("power_avg", Schema.FLOAT64_SCHEMA)
                .field("voltage_avg", Schema.FLOAT64_SCHEMA)
                .field("current_avg", Schema.FLOAT64_SCHEMA)
                .field("energy_wh", Schema.FLOAT64_SCHEMA)
                .field("energy_returned_wh", ZERO)
                .field("energy_from_power_wh", ZERO)
                .field("energy_mismatch", FALSE)
                .field("cost", COST)
                .field("currency", Schema.OPTIONAL_STRING_SCHEMA);
    }

    private static Schema zonedTimestamp(boolean optional) {
        SchemaBuilder b = SchemaBuilder.string().name(ZONED_TIMESTAMP).version(1);
        return (optional ? b.optional() : b).build();
    }

    private SinkSchemas() {
    }
}
