package com.ingestrouter.sql;

import static com.ingestrouter.sql.SqlText.columns;
import static com.ingestrouter.sql.SqlText.keyMatch;
import static com.ingestrouter.sql.SqlText.nonKey;
import static com.ingestrouter.sql.SqlText.values;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SQL Server 2019+. No engine runs on the development machines: these statements are unit-tested for
 * shape and run only under the compose profile {@code mssql}.
 */
public final class SqlServerDialect implements Dialect {
    private static final int CONSTRAINT_CONFLICT = 547;
    /**
     * Vendor codes: the driver sends S0001/S0002-style states for most errors, so the standard table
     * cannot tell truncation or a bad conversion from an outage. 547 is split by its message below
     * (FOREIGN KEY: a parent is missing; CHECK: the row is refused).
     */
    static final Map<Integer, SqlFailure> CODES = Map.ofEntries(
            Map.entry(CONSTRAINT_CONFLICT, SqlFailure.REJECTED),  // CHECK (FOREIGN KEY handled first)
            Map.entry(2627, SqlFailure.REJECTED),   // unique constraint
            Map.entry(2601, SqlFailure.REJECTED),   // unique index
            Map.entry(515, SqlFailure.REJECTED),    // NULL into NOT NULL
            Map.entry(2628, SqlFailure.REJECTED),   // string or binary data would be truncated (2019+)
            Map.entry(8152, SqlFailure.REJECTED),   // same, before 2019
            Map.entry(8115, SqlFailure.REJECTED),   // arithmetic overflow converting
            Map.entry(220, SqlFailure.REJECTED),    // arithmetic overflow for the type
            Map.entry(245, SqlFailure.REJECTED),    // conversion failed
            Map.entry(241, SqlFailure.REJECTED),    // date/time conversion failed
            Map.entry(242, SqlFailure.REJECTED),    // date/time out of range
            Map.entry(8114, SqlFailure.REJECTED),   // error converting data type
            Map.entry(13609, SqlFailure.REJECTED),  // JSON text is not properly formatted
            Map.entry(1205, SqlFailure.TRANSIENT),  // deadlock victim
            Map.entry(1222, SqlFailure.TRANSIENT),  // lock request timeout
            Map.entry(3906, SqlFailure.TRANSIENT),  // database is read-only
            Map.entry(229, SqlFailure.TRANSIENT),   // permission denied
            Map.entry(4060, SqlFailure.TRANSIENT),  // cannot open database
            Map.entry(40613, SqlFailure.TRANSIENT)); // database not currently available (Azure)

    @Override
    public String name() {
        return "sqlserver";
    }

    /** UPDLOCK+HOLDLOCK keeps the key range locked between the check and the insert. */
    @Override
    public String insertIfAbsent(String table, List<String> columns, List<String> keys, Set<String> json) {
        return "INSERT INTO " + table + " (" + columns(columns) + ") SELECT " + values(columns, json, this::jsonParam)
                + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WITH (UPDLOCK, HOLDLOCK) WHERE "
                + keyMatch(keys, "", ":") + ")";
    }

    /** MERGE needs HOLDLOCK, or two concurrent upserts of a new key both take the insert branch. */
    @Override
    public String upsert(String table, List<String> columns, List<String> keys, Set<String> json) {
        List<String> updates = nonKey(columns, keys);
        String matched = updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET "
                + updates.stream().map(c -> "target." + c + " = source." + c).collect(Collectors.joining(", "));
        return "MERGE INTO " + table + " WITH (HOLDLOCK) AS target USING (VALUES (" + values(columns, json, this::jsonParam) + ")) AS source ("
                + columns(columns) + ") ON " + keyMatch(keys, "target.", "source.") + matched
                + " WHEN NOT MATCHED THEN INSERT (" + columns(columns) + ") VALUES ("
                + columns.stream().map(c -> "source." + c).collect(Collectors.joining(", ")) + ");";
    }

    @Override
    public String page(String orderedQuery) {
        return orderedQuery + " OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY";
    }

    /** DATETIME2 has no zone: values are UTC wall time. */
    @Override
    public Object timestamp(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    @Override
    public SqlFailure classify(SQLException e) {
        if (e.getErrorCode() == CONSTRAINT_CONFLICT && String.valueOf(e.getMessage()).contains("FOREIGN KEY")) {
            return SqlFailure.MISSING_PARENT;
        }
        return SqlText.classify(CODES, e.getErrorCode(), e.getSQLState());
    }
}
