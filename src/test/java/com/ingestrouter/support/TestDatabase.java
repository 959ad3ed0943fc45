package com.ingestrouter.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The SQL databases the suites run against: the real MariaDB and PostgreSQL on this machine, and H2.
 * Each app start gets a fresh database, so migrations and rows never leak between suites (or between
 * two checkouts testing at once: INGEST_IT_DB_PREFIX sets the name prefix).
 */
public enum TestDatabase {
    MARIADB("jdbc:mysql://127.0.0.1:3306/", "root", ""),
    /** The same MariaDB through MariaDB Connector/J (jdbc:mariadb:), the driver the app uses for that scheme. */
    MARIADB_CONNECTOR("jdbc:mariadb://127.0.0.1:3306/", "root", ""),
    POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/", "postgres", ""),
    H2("jdbc:h2:mem:", "", "");

    private static final String PREFIX = System.getenv().getOrDefault("INGEST_IT_DB_PREFIX", "ingest_it");
    private final String base;
    private final String user;
    private final String password;

    TestDatabase(String base, String user, String password) {
        this.base = base;
        this.user = user;
        this.password = password;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The server's TCP port on this machine, or -1 for in-memory H2. */
    public int port() {
        return switch (this) {
            case MARIADB, MARIADB_CONNECTOR -> 3306;
            case POSTGRESQL -> 5432;
            case H2 -> -1;
        };
    }

    /** Drops and creates the named database; returns its JDBC URL. */
    public String fresh(String name) {
        String db = PREFIX + "_" + name;
        switch (this) {
            case MARIADB, MARIADB_CONNECTOR -> admin(base + "test", "DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db);
            case POSTGRESQL -> admin(base + "test", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db);
            case H2 -> {
                return base + db + "_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
            }
            default -> throw new IllegalStateException();
        }
        return base + db;
    }

    private void admin(String url, String... statements) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare test database on " + this + ": " + e.getMessage(), e);
        }
    }
}
