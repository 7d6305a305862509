package io.wattstream.query.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code measurement}: counts, pages, the newest rows and a streamed export. */
public final class MeasurementRepository {

    /** Rows fetched per round trip of the export cursor: memory stays constant whatever the size. */
    static final int EXPORT_FETCH_SIZE = 2_000;
    private static final List<Duration> NEWEST_LOOK_BACK = List.of(Duration.ofDays(1), Duration.ofDays(31));
    /** Newest first; ties on timestamp (two devices in the same microsecond) broken by device for stable pages. */
    private static final String ORDER = " order by \"timestamp\" desc, device_id desc";

    private final Database db;

    public MeasurementRepository(Database db) {
        this.db = db;
    }

    public long count(Filter f) throws SQLException {
        String sql = "select count(*) from measurement" + f.where("\"timestamp\"");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            f.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The newest rows (of one device, or of all with a null id). The history has a partition per
     * day, and a query without a time bound reads the newest end of every one of them; so the last
     * day is looked at first, then the last month, and only then everything. A bound cuts off older
     * rows only, so once it holds {@code limit} rows they are the newest.
     */
    public List<MeasurementRow> newest(String deviceId, int limit, Instant now) throws SQLException {
        for (Duration back : NEWEST_LOOK_BACK) {
            List<MeasurementRow> rows = page(new Filter(deviceId, now.minus(back), null), limit, 0);
            if (rows.size() >= limit) {
                return rows;
            }
        }
        return page(new Filter(deviceId, null, null), limit, 0);
    }

    public List<MeasurementRow> page(Filter f, int limit, long offset) throws SQLException {
        String sql = "select " + MeasurementRow.COLUMNS + " from measurement" + f.where("\"timestamp\"")
                + ORDER + " limit ? offset ?";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = f.bind(ps, 1);
            ps.setInt(i++, limit);
            ps.setLong(i, offset);
            return list(ps);
        }
    }

    /** Export: rows in the given order through a server-side cursor, handed one by one to the sink. */
    public void stream(Filter f, RowSink sink) throws SQLException, java.io.IOException {
        String sql = "select " + MeasurementRow.COLUMNS + " from measurement" + f.where("\"timestamp\"") + ORDER;
        try (Connection c = db.connection()) {
            // pgjdbc only uses a cursor (instead of reading the whole result) inside a transaction.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(EXPORT_FETCH_SIZE);
                f.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(MeasurementRow.read(rs));
                    }
                }
            } finally {
                c.rollback(); // read-only: nothing to commit; leaves the pooled connection clean
                c.setAutoCommit(true);
            }
        }
    }

    static List<MeasurementRow> list(PreparedStatement ps) throws SQLException {
        List<MeasurementRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(MeasurementRow.read(rs));
            }
        }
        return out;
    }

    /** Receives exported rows; may fail writing to the client. */
    public interface RowSink {
        void accept(MeasurementRow m) throws java.io.IOException;
    }
}
