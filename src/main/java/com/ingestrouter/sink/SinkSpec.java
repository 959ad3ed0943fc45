package com.ingestrouter.sink;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parameters of one SQL sink, checked: identifiers are plain names, the key columns are mapped
 * columns, the mode fits. Parsed once when the pipeline starts, never per message.
 */
public record SinkSpec(String table, List<String> key, List<Column> columns, SinkMode mode, String refusedTable) {

    public static SinkSpec parse(String table, String key, String columns, String mode, String refusedTable) {
        String t = identifier("table", table);
        List<Column> cols = Column.parseAll(columns);
        List<String> names = cols.stream().map(Column::name).toList();
        if (Set.copyOf(names).size() != names.size()) {
            throw new IllegalArgumentException("columns names a column twice: " + names);
        }
        SinkMode m = SinkMode.parse(mode == null || mode.isBlank() ? "upsert" : mode);
        List<String> keys = key == null || key.isBlank() ? List.of()
                : Arrays.stream(key.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(k -> identifier("key", k)).toList();
        if (keys.isEmpty() && m != SinkMode.APPEND) {
            throw new IllegalArgumentException("mode " + m + " needs a key (one or more columns)");
        }
        for (String k : keys) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException("key column " + k + " is not one of the columns " + names);
            }
        }
        String refused = refusedTable == null || refusedTable.isBlank() ? null : identifier("refusedTable", refusedTable);
        if (refused != null && m != SinkMode.INSERT_IF_ABSENT) {
            throw new IllegalArgumentException("refusedTable goes with mode insert-if-absent, not " + m);
        }
        return new SinkSpec(t, keys, List.copyOf(cols), m, refused);
    }

    private static String identifier(String what, String value) {
        String v = value == null ? "" : value.trim();
        if (!Column.IDENTIFIER.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " '" + v + "' is not a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*)");
        }
        return v;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public Set<String> jsonColumns() {
        return columns.stream().filter(c -> c.type() == ColumnType.JSON).map(Column::name).collect(Collectors.toSet());
    }

    public int[] sqlTypes() {
        return columns.stream().mapToInt(c -> c.type().sqlType()).toArray();
    }
}
