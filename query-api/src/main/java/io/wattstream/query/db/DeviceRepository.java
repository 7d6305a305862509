package io.wattstream.query.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The devices that have sent readings, each with its newest stored reading. */
public final class DeviceRepository {

    /**
     * A "loose index scan": each step jumps to the next distinct device_id on the primary key,
     * so the cost grows with the number of devices, not of readings (a plain DISTINCT reads them all).
     * The lateral part takes each device's newest row from the same index, scanned backwards.
     */
    private static final String ALL = """
            with recursive ids(device_id) as (
                (select device_id from measurement order by device_id limit 1)
                union all
                select (select m.device_id from measurement m where m.device_id > ids.device_id
                        order by m.device_id limit 1)
                from ids where ids.device_id is not null
            )
            select l.* from ids cross join lateral (
                select %s from measurement m where m.device_id = ids.device_id
                order by m."timestamp" desc limit 1) l
            where ids.device_id is not null
            order by l.device_id
            """.formatted(MeasurementRow.COLUMNS);

    private static final String ONE = "select " + MeasurementRow.COLUMNS
            + " from measurement where device_id = ? order by \"timestamp\" desc limit 1";

    private final Database db;

    public DeviceRepository(Database db) {
        this.db = db;
    }

    /** Device id to its newest stored reading, ordered by id. */
    public Map<String, MeasurementRow> latestPerDevice() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(ALL)) {
            Map<String, MeasurementRow> out = new LinkedHashMap<>();
            for (MeasurementRow m : MeasurementRepository.list(ps)) {
                out.put(m.deviceId(), m);
            }
            return out;
        }
    }

    public Optional<MeasurementRow> latest(String deviceId) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(ONE)) {
            ps.setString(1, deviceId);
            return MeasurementRepository.list(ps).stream().findFirst();
        }
    }
}
