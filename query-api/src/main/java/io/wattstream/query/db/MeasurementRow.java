package io.wattstream.query.db;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A row of {@code measurement} as the API returns it: the prototype's fields first, then the
 * pipeline's. {@code source} stays a string so a value from a newer gateway still reads.
 */
public record MeasurementRow(
        double power,
        double voltage,
        double current,
        double energy,
        Instant timestamp,
        String deviceId,
        Instant receivedAt,
        String source,
        Double freq,
        Double pf,
        Double temperatureC,
        Boolean output,
        double energyDeltaWh,
        boolean counterReset,
        boolean overThreshold,
        String deviceName,
        String site,
        Double energyReturned,
        double energyReturnedDeltaWh,
        double energyFromPowerWh,
        boolean implausibleJump,
        @com.fasterxml.jackson.annotation.JsonProperty("late_1m") boolean late1m,
        @com.fasterxml.jackson.annotation.JsonProperty("late_1h") boolean late1h,
        String errors,
        BigDecimal cost,
        String currency,
        String tariffId,
        String tariffZone,
        BigDecimal pricePerKwh) {

    /** Column list in the order {@link #read} expects. */
    public static final String COLUMNS = "power, voltage, current, energy, \"timestamp\", device_id, received_at, source, "
            + "freq, pf, temperature_c, output, energy_delta_wh, counter_reset, over_threshold, device_name, site, "
            + "energy_returned, energy_returned_delta_wh, energy_from_power_wh, implausible_jump, late_1m, late_1h, errors, "
            + "cost, currency, tariff_id, tariff_zone, price_per_kwh";

    static MeasurementRow read(ResultSet rs) throws SQLException {
        return new MeasurementRow(
                rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                instant(rs, 5), rs.getString(6), instant(rs, 7), rs.getString(8),
                nullableDouble(rs, 9), nullableDouble(rs, 10), nullableDouble(rs, 11), nullableBoolean(rs, 12),
                rs.getDouble(13), rs.getBoolean(14), rs.getBoolean(15), rs.getString(16), rs.getString(17),
                nullableDouble(rs, 18), rs.getDouble(19), rs.getDouble(20), rs.getBoolean(21), rs.getBoolean(22),
                rs.getBoolean(23), rs.getString(24), decimal(rs, 25), rs.getString(26), rs.getString(27),
                rs.getString(28), decimal(rs, 29));
    }

    /** numeric as it is stored, without padding zeros; null stays null (no tariff, never 0). */
    static BigDecimal decimal(ResultSet rs, int col) throws SQLException {
        BigDecimal v = rs.getBigDecimal(col);
        return v == null ? null : v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }

    /** timestamptz keeps microseconds; reading it as OffsetDateTime keeps all of them. */
    static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Bound as timestamptz with its full precision, independent of the JVM's time zone. */
    static OffsetDateTime sqlTime(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    static Double nullableDouble(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    static Boolean nullableBoolean(ResultSet rs, int col) throws SQLException {
        boolean v = rs.getBoolean(col);
        return rs.wasNull() ? null : v;
    }
}
