package com.ingestrouter.sql;

import static com.ingestrouter.sql.SqlText.columns;
import static com.ingestrouter.sql.SqlText.nonKey;
import static com.ingestrouter.sql.SqlText.values;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** PostgreSQL 12+. */
public final class PostgresDialect implements Dialect {
    /** SQLSTATEs (PostgreSQL's codes are SQLSTATEs); the rest go by the standard classes (SqlText). */
    static final Map<String, SqlFailure> CODES = Map.ofEntries(
            Map.entry("23503", SqlFailure.MISSING_PARENT),  // foreign_key_violation
            Map.entry("40P01", SqlFailure.TRANSIENT),       // deadlock_detected
            Map.entry("40001", SqlFailure.TRANSIENT),       // serialization_failure
            Map.entry("55P03", SqlFailure.TRANSIENT),       // lock_not_available (lock_timeout)
            Map.entry("57014", SqlFailure.TRANSIENT),       // query_canceled (statement_timeout)
            Map.entry("25006", SqlFailure.TRANSIENT),       // read_only_sql_transaction
            Map.entry("42501", SqlFailure.TRANSIENT),       // insufficient_privilege
            Map.entry("53300", SqlFailure.TRANSIENT),       // too_many_connections
            Map.entry("57P01", SqlFailure.TRANSIENT));      // admin_shutdown

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String insertIfAbsent(String table, List<String> columns, List<String> keys, Set<String> json) {
        return "INSERT INTO " + table + " (" + columns(columns) + ") VALUES (" + values(columns, json, this::jsonParam)
                + ") ON CONFLICT (" + columns(keys) + ") DO NOTHING";
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keys, Set<String> json) {
        List<String> updates = nonKey(columns, keys);
        if (updates.isEmpty()) {
            return insertIfAbsent(table, columns, keys, json);
        }
        return "INSERT INTO " + table + " (" + columns(columns) + ") VALUES (" + values(columns, json, this::jsonParam)
                + ") ON CONFLICT (" + columns(keys) + ") DO UPDATE SET "
                + updates.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    }

    @Override
    public String jsonParam(String name) {
        return "CAST(:" + name + " AS jsonb)";
    }

    @Override
    public Object uuid(UUID id) {
        return id;
    }

    @Override
    public SqlFailure classify(SQLException e) {
        return SqlText.classify(CODES, e.getSQLState(), e.getSQLState());
    }
}
