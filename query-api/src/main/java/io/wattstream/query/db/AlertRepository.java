package io.wattstream.query.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code alert}. */
public final class AlertRepository {

    private final Database db;

    public AlertRepository(Database db) {
        this.db = db;
    }

    /**
     * Alerts that started within the range, newest first; {@code activeOnly} keeps the RAISED ones,
     * {@code kind} (already checked against the known kinds) one kind.
     */
    public List<AlertRow> find(Filter f, boolean activeOnly, String kind, int limit) throws SQLException {
        String where = f.where("started_at");
        if (activeOnly) {
            where = (where.isEmpty() ? " where " : where + " and ") + "state = 'RAISED'";
        }
        if (kind != null) {
            where = (where.isEmpty() ? " where " : where + " and ") + "kind = ?";
        }
        String sql = "select device_id, kind, state, threshold_w, power_w, peak_w, started_at, ended_at, duration_s, "
                + "detail from alert" + where + " order by started_at desc, device_id, kind, detail limit ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = f.bind(ps, 1);
            if (kind != null) {
                ps.setString(i++, kind);
            }
            ps.setInt(i, limit);
            List<AlertRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            MeasurementRow.nullableDouble(rs, 4), MeasurementRow.nullableDouble(rs, 5),
                            MeasurementRow.nullableDouble(rs, 6), MeasurementRow.instant(rs, 7), MeasurementRow.instant(rs, 8),
                            MeasurementRow.nullableDouble(rs, 9), rs.getString(10)));
                }
            }
            return out;
        }
    }
}
