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
        // Late readings per window: few, found through the partial index on the late flags.
        String sql = "select w.device_id, w.window_start, w.window_end, w.count, w.power_min, w.power_max, w.power_avg, "
                + "w.voltage_avg, w.current_avg, w.energy_wh, w.energy_returned_wh, w.energy_from_power_wh, "
                + "w.energy_mismatch, (select count(*) from measurement m where m.device_id = w.device_id and "
                + "m.\"timestamp\" >= w.window_start and m.\"timestamp\" < w.window_end and m." + window.lateColumn()
                + " and (m.late_1m or m.late_1h)), w.cost, w.currency from " + window.table() + " w" + f.where("w.window_start")
                + " order by w.window_start, w.device_id limit ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(f.bind(ps, 1), limit);
            List<WindowRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WindowRow(rs.getString(1), MeasurementRow.instant(rs, 2), MeasurementRow.instant(rs, 3),
                            rs.getLong(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8),
                            rs.getDouble(9), rs.getDouble(10), rs.getDouble(11), rs.getDouble(12), rs.getBoolean(13),
                            rs.getLong(14), false, MeasurementRow.decimal(rs, 15), rs.getString(16)));
                }
            }
            return out;
        }
    }
}
