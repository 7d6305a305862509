package io.wattstream.query.db;

import com.fasterxml.jackson.core.type.TypeReference;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code charging_session}: counts, pages, one session and a streamed export. */
public final class SessionRepository {

    private static final String COLUMNS = "session_id, device_id, device_name, site, state, started_at, ended_at, "
            + "last_reading_at, duration_s, energy_wh, peak_power_w, avg_power_w, pauses, cost, currency, zones::text, "
            + "readings, counter_reset, offline";
    /** Newest first, ties broken by id for stable pages. */
    private static final String ORDER = " order by started_at desc, session_id desc";
    private static final TypeReference<List<ChargingSession.ZoneShare>> ZONES = new TypeReference<>() { };

    private final Database db;

    public SessionRepository(Database db) {
        this.db = db;
    }

    public long count(SessionFilter f) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from charging_session" + f.where())) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public List<ChargingSession> page(SessionFilter f, int limit, long offset) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "select " + COLUMNS + " from charging_session" + f.where() + ORDER + " limit ? offset ?")) {
            int i = f.bind(ps, 1);
            ps.setInt(i++, limit);
            ps.setLong(i, offset);
            List<ChargingSession> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    public Optional<ChargingSession> find(String sessionId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "select " + COLUMNS + " from charging_session where session_id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Export: every matching session, newest first, through a server-side cursor. */
    public void stream(SessionFilter f, Sink sink) throws SQLException, IOException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false); // pgjdbc only uses a cursor inside a transaction
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from charging_session" + f.where() + ORDER)) {
                ps.setFetchSize(MeasurementRepository.EXPORT_FETCH_SIZE);
                f.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(read(rs));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /** Receives exported sessions; may fail writing to the client. */
    public interface Sink {
        void accept(ChargingSession s) throws IOException;
    }

    private static ChargingSession read(ResultSet rs) throws SQLException {
        List<ChargingSession.ZoneShare> zones;
        try {
            zones = Json.MAPPER.readValue(rs.getString(16), ZONES);
        } catch (IOException e) {
            throw new SQLException("charging_session.zones of " + rs.getString(1) + " is not a list of zones", e);
        }
        return new ChargingSession(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                ChargingSession.State.valueOf(rs.getString(5)), MeasurementRow.instant(rs, 6), MeasurementRow.instant(rs, 7),
                MeasurementRow.instant(rs, 8), rs.getDouble(9), rs.getDouble(10), rs.getDouble(11), rs.getDouble(12),
                rs.getInt(13), MeasurementRow.decimal(rs, 14), rs.getString(15), zones, rs.getLong(17), rs.getBoolean(18),
                rs.getBoolean(19));
    }
}
