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

    /** SQLState class "23" (integrity) and "22" (data) are the row's fault; the rest is transient. */
    static SqlFailure classifyByState(String sqlState) {
        if (sqlState != null && (sqlState.startsWith("23") || sqlState.startsWith("22"))) {
            return SqlFailure.REJECTED;
        }
        return SqlFailure.TRANSIENT;
    }
}
