package io.wattstream.query.db;

import io.wattstream.model.Money;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Reads the closed local days of {@code measurement_1d}. */
public final class DailyRepository {

    /** A row written before days carried their own date is a UTC day. */
    private static final String DAY = "coalesce(day, (window_start at time zone 'UTC')::date)";

    private final Database db;

    public DailyRepository(Database db) {
        this.db = db;
    }

    /** Days from {@code first} to {@code last} (inclusive), of one meter or site if given, oldest first. */
    public List<DailyRow> closed(LocalDate first, LocalDate last, String deviceId, String site, int limit) throws SQLException {
        String sql = "select device_id, site, " + DAY + ", coalesce(time_zone, 'UTC'), window_start, window_end, energy_wh, "
                + "cost, currency from measurement_1d where " + DAY + " between ? and ?"
                + (deviceId != null ? " and device_id = ?" : "") + (site != null ? " and site = ?" : "")
                + " order by 3, device_id limit ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setObject(i++, first);
            ps.setObject(i++, last);
            if (deviceId != null) {
                ps.setString(i++, deviceId);
            }
            if (site != null) {
                ps.setString(i++, site);
            }
            ps.setInt(i, limit);
            List<DailyRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    var cost = MeasurementRow.decimal(rs, 8);
                    String currency = cost == null ? null : rs.getString(9);
                    out.add(new DailyRow(rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getString(4),
                            MeasurementRow.instant(rs, 5), MeasurementRow.instant(rs, 6), null, rs.getDouble(7), cost,
                            Money.rounded(cost, currency), currency, false));
                }
            }
            return out;
        }
    }
}
