package com.ingestrouter.sql;

import static com.ingestrouter.sql.SqlText.columns;
import static com.ingestrouter.sql.SqlText.nonKey;
import static com.ingestrouter.sql.SqlText.values;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** PostgreSQL 12+. */
public final class PostgresDialect implements Dialect {
    private static final String FOREIGN_KEY_VIOLATION = "23503";

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
        if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
            return SqlFailure.MISSING_PARENT;
        }
        return SqlText.classifyByState(e.getSQLState());
    }
}
