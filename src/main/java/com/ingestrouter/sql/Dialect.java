package com.ingestrouter.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Everything that differs between the SQL databases we write to. Statements use named parameters
 * ({@code :column}); values are always bound, never pasted into SQL text.
 */
public interface Dialect {

    /** Short name; also the folder of this dialect's Flyway migrations under {@code db/migration/}. */
    String name();

    /** Inserts the row unless a row with the same key exists; the update count says which happened. */
    default String insertIfAbsent(String table, List<String> columns, List<String> keyColumns) {
        return insertIfAbsent(table, columns, keyColumns, Set.of());
    }

    /**
     * Same, where {@code jsonColumns} hold JSON text bound through {@link #jsonParam}, so one statement
     * shape serves every database's JSON column type.
     */
    String insertIfAbsent(String table, List<String> columns, List<String> keyColumns, Set<String> jsonColumns);

    /**
     * How a JSON text parameter is bound into this database's JSON column: as is (MySQL/MariaDB JSON,
     * SQL Server NVARCHAR with an ISJSON check), cast (PostgreSQL jsonb), or read as JSON (H2).
     */
    default String jsonParam(String name) {
        return ":" + name;
    }

    /** A UUID as bound to this database's id column: native UUID types take the object, others text. */
    default Object uuid(UUID id) {
        return id.toString();
    }

    /** Inserts the row, or updates the non-key columns of the row with the same key. */
    default String upsert(String table, List<String> columns, List<String> keyColumns) {
        return upsert(table, columns, keyColumns, Set.of());
    }

    /** Same, with JSON columns bound through {@link #jsonParam}. */
    String upsert(String table, List<String> columns, List<String> keyColumns, Set<String> jsonColumns);

    /** A plain insert (append mode: every record is a new row). */
    default String insert(String table, List<String> columns, Set<String> jsonColumns) {
        return "INSERT INTO " + table + " (" + SqlText.columns(columns) + ") VALUES ("
                + SqlText.values(columns, jsonColumns, this::jsonParam) + ")";
    }

    /** Appends paging to a query that ends in ORDER BY; binds {@code :limit} and {@code :offset}. */
    default String page(String orderedQuery) {
        return orderedQuery + " LIMIT :limit OFFSET :offset";
    }

    /** The value to bind for a UTC instant (TIMESTAMP WITH TIME ZONE unless the dialect says otherwise). */
    default Object timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Reads a column written with {@link #timestamp(Instant)}. */
    default Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Classifies an error from this database. */
    SqlFailure classify(SQLException e);

    /** Picks the dialect from a JDBC URL. */
    static Dialect forUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
            return new MySqlDialect();
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (jdbcUrl.startsWith("jdbc:sqlserver:")) {
            return new SqlServerDialect();
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return new H2Dialect();
        }
        throw new IllegalArgumentException("Unsupported JDBC URL (use mysql, mariadb, postgresql, sqlserver or h2): " + jdbcUrl);
    }
}
