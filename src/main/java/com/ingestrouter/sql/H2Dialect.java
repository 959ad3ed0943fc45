package com.ingestrouter.sql;

import static com.ingestrouter.sql.SqlText.columns;
import static com.ingestrouter.sql.SqlText.keyMatch;
import static com.ingestrouter.sql.SqlText.nonKey;
import static com.ingestrouter.sql.SqlText.values;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** H2 2.x, the embedded default. Standard MERGE covers both statement kinds. */
public final class H2Dialect implements Dialect {
    /** H2's SQLSTATEs (its own five-character codes where the standard has none). */
    static final Map<String, SqlFailure> CODES = Map.ofEntries(
            Map.entry("23506", SqlFailure.MISSING_PARENT),  // REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING
            Map.entry("23503", SqlFailure.REJECTED),        // REFERENTIAL_INTEGRITY_VIOLATED_CHILD_EXISTS
            Map.entry("40001", SqlFailure.TRANSIENT),       // DEADLOCK
            Map.entry("HYT00", SqlFailure.TRANSIENT),       // LOCK_TIMEOUT
            Map.entry("90097", SqlFailure.TRANSIENT),       // DATABASE_IS_READ_ONLY
            Map.entry("90098", SqlFailure.TRANSIENT),       // DATABASE_IS_CLOSED
            Map.entry("90131", SqlFailure.TRANSIENT),       // CONCURRENT_UPDATE
            Map.entry("42501", SqlFailure.TRANSIENT));      // NOT_ENOUGH_RIGHTS_FOR

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String insertIfAbsent(String table, List<String> columns, List<String> keys, Set<String> json) {
        return merge(table, columns, keys, List.of(), values(columns, json, this::jsonParam));
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keys, Set<String> json) {
        return merge(table, columns, keys, nonKey(columns, keys), values(columns, json, this::jsonParam));
    }

    private static String merge(String table, List<String> columns, List<String> keys, List<String> updates,
            String values) {
        String matched = updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET "
                + updates.stream().map(c -> c + " = source." + c).collect(Collectors.joining(", "));
        return "MERGE INTO " + table + " target USING (VALUES (" + values + ")) AS source ("
                + columns(columns) + ") ON " + keyMatch(keys, "target.", "source.") + matched
                + " WHEN NOT MATCHED THEN INSERT (" + columns(columns) + ") VALUES ("
                + columns.stream().map(c -> "source." + c).collect(Collectors.joining(", ")) + ")";
    }

    /** Without FORMAT JSON, H2 stores the text as a JSON string value instead of parsing it. */
    @Override
    public String jsonParam(String name) {
        return ":" + name + " FORMAT JSON";
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
