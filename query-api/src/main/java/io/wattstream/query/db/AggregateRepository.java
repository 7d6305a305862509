package io.wattstream.query.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the closed windows of {@code measurement_1m} / {@code measurement_1h}. */
public final class AggregateRepository {

    private final Database db;

    public AggregateRepository(Database db) {
        this.db = db;
    }

    /** Windows starting within the range, oldest first (the order a chart draws them). */
    public List<WindowRow> closed(Window window, Filter f, int limit) throws SQLException {
        String sql = "select device_id, window_start, window_end, count, power_min, power_max, power_avg, "
                + "voltage_avg, current_avg, energy_wh from " + window.table() + f.where("window_start")
                + " order by window_start, device_id limit ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(f.bind(ps, 1), limit);
            List<WindowRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WindowRow(rs.getString(1), MeasurementRow.instant(rs, 2), MeasurementRow.instant(rs, 3),
                            rs.getLong(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8),
                            rs.getDouble(9), rs.getDouble(10), false));
                }
            }
            return out;
        }
    }
}
