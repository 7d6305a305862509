package io.wattstream.query.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which sessions: of a meter, of a site, overlapping {@code [start, end]} (an open session runs until
 * now), open or closed. Built from fixed fragments with bound parameters only.
 *
 * @param state {@code open}, {@code closed} or null for both
 */
public record SessionFilter(String deviceId, String site, Instant start, Instant end, String state) {

    String where() {
        List<String> parts = new ArrayList<>();
        if (deviceId != null) {
            parts.add("device_id = ?");
        }
        if (site != null) {
            parts.add("site = ?");
        }
        if (end != null) {
            parts.add("started_at <= ?");
        }
        if (start != null) {
            parts.add("(ended_at >= ? or ended_at is null)");
        }
        if ("open".equals(state)) {
            parts.add("state <> 'CLOSED'");
        } else if ("closed".equals(state)) {
            parts.add("state = 'CLOSED'");
        }
        return parts.isEmpty() ? "" : " where " + String.join(" and ", parts);
    }

    int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        if (deviceId != null) {
            ps.setString(i++, deviceId);
        }
        if (site != null) {
            ps.setString(i++, site);
        }
        if (end != null) {
            ps.setObject(i++, MeasurementRow.sqlTime(end));
        }
        if (start != null) {
            ps.setObject(i++, MeasurementRow.sqlTime(start));
        }
        return i;
    }
}
