package org.reid.benchmarks.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL's write-ahead log between two points: what each ingested crop costs the disk, a
 * replica streaming the log, and a backup, beyond its own bytes. With one argument it prints the
 * current log position; with a start position and a crop count, the log written since per crop,
 * by record type (pg_walinspect, a contrib extension of PostgreSQL, created if missing).
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.load.WalBytes JDBC_URL                  # prints lsn=...
 * java -cp benchmarks.jar org.reid.benchmarks.load.WalBytes JDBC_URL START_LSN CROPS  # wal_kib_per_crop=...
 * </pre>
 * The URL is the service's PostgreSQL as user postgres, e.g. {@code jdbc:postgresql://127.0.0.1:54330/postgres}.
 */
public final class WalBytes {
    private WalBytes() {}

    public static void main(String[] args) throws SQLException {
        if (args.length != 1 && args.length != 3) {
            System.err.println("usage: WalBytes JDBC_URL [START_LSN CROPS]");
            System.exit(2);
        }
        try (Connection c = DriverManager.getConnection(args[0], "postgres", "")) {
            String now = one(c, "select pg_current_wal_lsn()::text");
            if (args.length == 1) {
                System.out.println("lsn=" + now);
                return;
            }
            double crops = Double.parseDouble(args[2]);
            try (PreparedStatement ps = c.prepareStatement("select pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)")) {
                ps.setString(1, now);
                ps.setString(2, args[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    System.out.printf("wal_kib_per_crop=%.2f%n", rs.getDouble(1) / crops / 1024);
                }
            }
            c.createStatement().execute("create extension if not exists pg_walinspect");
            System.out.println("  record type          records a crop  bytes a crop  of which page images");
            try (PreparedStatement ps = c.prepareStatement("select \"resource_manager/record_type\", count, combined_size, "
                    + "fpi_size from pg_get_wal_stats(?::pg_lsn, ?::pg_lsn, true) where count > 0 "
                    + "order by combined_size desc limit 8")) {
                ps.setString(1, args[1]);
                ps.setString(2, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        System.out.printf("  %-20s %14.2f %13.0f %21.0f%n", rs.getString(1), rs.getLong(2) / crops,
                                rs.getLong(3) / crops, rs.getLong(4) / crops);
                    }
                }
            }
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
