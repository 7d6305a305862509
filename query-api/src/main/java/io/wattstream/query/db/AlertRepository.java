package io.wattstream.query.db;

import io.wattstream.model.Alert;
import io.wattstream.model.AlertKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code alert}. */
public final class AlertRepository {

    private static final String COLUMNS = "select device_id, kind, state, threshold_w, power_w, peak_w, started_at, ended_at, "
            + "duration_s, detail, acked_by, acked_at, ack_note from alert";

    private final Database db;

    public AlertRepository(Database db) {
        this.db = db;
    }

    /**
     * Alerts that started within the range, newest first; {@code activeOnly} keeps the RAISED ones,
     * {@code kind} (already checked against the known kinds) one kind. A row an acknowledgement
     * created before its alert arrived (no state yet) is no alert yet.
     */
    public List<AlertRow> find(Filter f, boolean activeOnly, String kind, int limit) throws SQLException {
        String where = f.where("started_at");
        where = (where.isEmpty() ? " where " : where + " and ") + (activeOnly ? "state = 'RAISED'" : "state is not null");
        if (kind != null) {
            where += " and kind = ?";
        }
        String sql = COLUMNS + where + " order by started_at desc, device_id, kind, detail limit ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = f.bind(ps, 1);
            if (kind != null) {
                ps.setString(i++, kind);
            }
            ps.setInt(i, limit);
            return rows(ps);
        }
    }

    /** The alert with this identity, if it is in the table. */
    public Optional<AlertRow> find(AlertKey key) throws SQLException {
        String sql = COLUMNS + " where device_id = ? and kind = ? and started_at = ? and detail = ? and state is not null";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key.deviceId());
            ps.setString(2, key.kind().name());
            ps.setObject(3, key.startedAt().atOffset(ZoneOffset.UTC));
            ps.setString(4, key.detail());
            return rows(ps).stream().findFirst();
        }
    }

    private static List<AlertRow> rows(PreparedStatement ps) throws SQLException {
        List<AlertRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String device = rs.getString(1);
                String kind = rs.getString(2);
                Instant started = MeasurementRow.instant(rs, 7);
                String detail = rs.getString(10);
                Instant ackedAt = MeasurementRow.instant(rs, 12);
                out.add(new AlertRow(new AlertKey(device, Alert.Kind.valueOf(kind), started, detail).id(), device, kind,
                        rs.getString(3), MeasurementRow.nullableDouble(rs, 4), MeasurementRow.nullableDouble(rs, 5),
                        MeasurementRow.nullableDouble(rs, 6), started, MeasurementRow.instant(rs, 8),
                        MeasurementRow.nullableDouble(rs, 9), detail, ackedAt != null, rs.getString(11), ackedAt,
                        rs.getString(13)));
            }
        }
        return out;
    }
}
