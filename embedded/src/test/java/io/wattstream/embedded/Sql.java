package io.wattstream.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Plain JDBC for tests: statements, single values and rows as text. */
final class Sql {

    private final DataSource ds;

    Sql(DataSource ds) {
        this.ds = ds;
    }

    void exec(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String sql, Object... params) throws SQLException {
        return Long.parseLong(rows(sql, params).get(0));
    }

    /** Each row as its columns' text joined by '|' (nulls as "null"). */
    List<String> rows(String sql, Object... params) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int col = 1; col <= n; col++) {
                        b.append(col > 1 ? "|" : "").append(rs.getString(col));
                    }
                    out.add(b.toString());
                }
            }
            return out;
        }
    }

    /** The partitions of a level table, by name, oldest first (DEFAULT excluded). */
    List<String> partitions(String table) throws SQLException {
        return rows("select partition_name from history_partitions(?)", table);
    }
}
