package com.ingestrouter.bench;

import com.ingestrouter.sql.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The benchmark's database: a fresh MariaDB schema with the product's own migrations applied. */
final class Mariadb {
    static final String NAME = "ingest_bench";
    static final String URL = "jdbc:mysql://127.0.0.1:3306/" + NAME;

    private Mariadb() {
    }

    static void fresh() throws SQLException {
        empty();
        try (Database db = new Database(URL, "root", "", 2)) {
            db.migrate();
        }
    }

    /** The database without any table. */
    static void empty() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/test", "root", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + NAME);
            s.execute("CREATE DATABASE " + NAME);
        }
    }

    /** A plain connection as the reference systems used it: no batch rewriting, autocommit. */
    static Connection plain() throws SQLException {
        return DriverManager.getConnection(URL, "root", "");
    }

    /** A connection tuned for bulk: rewritten batches, explicit transactions. */
    static Connection bulk() throws SQLException {
        return DriverManager.getConnection(URL + "?rewriteBatchedStatements=true&useServerPrepStmts=false", "root", "");
    }

    static long count(String sql) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(String sql) throws SQLException {
        try (Connection c = plain(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
