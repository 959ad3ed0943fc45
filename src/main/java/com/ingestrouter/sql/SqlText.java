package com.ingestrouter.sql;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Small pieces of SQL text shared by the dialects. Column names come from code, never from input. */
final class SqlText {
    private SqlText() {
    }

    static String columns(List<String> columns) {
        return String.join(", ", columns);
    }

    /** Parameter list where JSON columns go through the dialect's JSON binding. */
    static String values(List<String> columns, Set<String> jsonColumns, Function<String, String> jsonParam) {
        return columns.stream().map(c -> jsonColumns.contains(c) ? jsonParam.apply(c) : ":" + c)
                .collect(Collectors.joining(", "));
    }

    static String keyMatch(List<String> keys, String left, String right) {
        return keys.stream().map(k -> left + k + " = " + right + k).collect(Collectors.joining(" AND "));
    }

    static List<String> nonKey(List<String> columns, List<String> keys) {
        return columns.stream().filter(c -> !keys.contains(c)).toList();
    }

    /**
     * The standard SQLSTATE table, for codes a dialect's own table does not name. Class 23 (integrity)
     * and 22 (data) are the row's fault. Everything else, read-only (25006) and missing privileges (42501)
     * included, is for an operator to fix, not the data: retried, never dead-lettered.
     */
    static SqlFailure classifyByState(String sqlState) {
        if (sqlState != null && (sqlState.startsWith("23") || sqlState.startsWith("22"))) {
            return SqlFailure.REJECTED;
        }
        return SqlFailure.TRANSIENT;
    }

    /** A dialect's table first (vendor code or SQLSTATE, whichever it is keyed by), then the standard one. */
    static <K> SqlFailure classify(java.util.Map<K, SqlFailure> table, K code, String sqlState) {
        SqlFailure failure = code == null ? null : table.get(code);
        return failure != null ? failure : classifyByState(sqlState);
    }
}
