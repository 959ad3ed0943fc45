package com.ingestrouter.sql;

import static com.ingestrouter.sql.SqlText.columns;
import static com.ingestrouter.sql.SqlText.keyMatch;
import static com.ingestrouter.sql.SqlText.nonKey;
import static com.ingestrouter.sql.SqlText.params;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** H2 2.x, the embedded default. Standard MERGE covers both statement kinds. */
public final class H2Dialect implements Dialect {
    private static final String REFERENTIAL_INTEGRITY_PARENT_MISSING = "23506";

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String insertIfAbsent(String table, List<String> columns, List<String> keys) {
        return merge(table, columns, keys, List.of());
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keys) {
        return merge(table, columns, keys, nonKey(columns, keys));
    }

    private static String merge(String table, List<String> columns, List<String> keys, List<String> updates) {
        String matched = updates.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET "
                + updates.stream().map(c -> c + " = source." + c).collect(Collectors.joining(", "));
        return "MERGE INTO " + table + " target USING (VALUES (" + params(columns) + ")) AS source ("
                + columns(columns) + ") ON " + keyMatch(keys, "target.", "source.") + matched
                + " WHEN NOT MATCHED THEN INSERT (" + columns(columns) + ") VALUES ("
                + columns.stream().map(c -> "source." + c).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public SqlFailure classify(SQLException e) {
        if (REFERENTIAL_INTEGRITY_PARENT_MISSING.equals(e.getSQLState())) {
            return SqlFailure.MISSING_PARENT;
        }
        return SqlText.classifyByState(e.getSQLState());
    }
}
