package io.wattstream.query.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import io.wattstream.query.api.Params;

/**
 * A WHERE clause over a device column and a time column, built only from fixed fragments with
 * bound parameters. Absent filters are left out of the SQL (rather than {@code ? is null or ...}) so
 * PostgreSQL plans each shape with the right index.
 */
public record Filter(String deviceId, Instant start, Instant end) {

    public static Filter of(String deviceId, Params.TimeRange range) {
        return new Filter(deviceId, range.start(), range.end());
    }

    String where(String timeColumn) {
        List<String> parts = new ArrayList<>();
        if (deviceId != null) {
            parts.add("device_id = ?");
        }
        if (start != null) {
            parts.add(timeColumn + " >= ?");
        }
        if (end != null) {
            parts.add(timeColumn + " <= ?");
        }
        return parts.isEmpty() ? "" : " where " + String.join(" and ", parts);
    }

    /** Binds the parameters of {@link #where} from index {@code first}; returns the next free index. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        if (deviceId != null) {
            ps.setString(i++, deviceId);
        }
        if (start != null) {
            ps.setObject(i++, MeasurementRow.sqlTime(start));
        }
        if (end != null) {
            ps.setObject(i++, MeasurementRow.sqlTime(end));
        }
        return i;
    }
}
