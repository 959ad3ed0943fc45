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
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** MySQL 8 and MariaDB 10.x, through mysql-connector-j or MariaDB Connector/J. */
public final class MySqlDialect implements Dialect {
    private static final DateTimeFormatter UTC_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    /**
     * Vendor codes whose SQLSTATE says the wrong thing or too little (MySQL 8 sends HY000 for a CHECK
     * violation and for "Incorrect string value"). Codes not here go by SQLSTATE (SqlText).
     */
    static final Map<Integer, SqlFailure> CODES = Map.ofEntries(
            Map.entry(1452, SqlFailure.MISSING_PARENT),  // ER_NO_REFERENCED_ROW_2: child row, no parent
            Map.entry(1216, SqlFailure.MISSING_PARENT),  // ER_NO_REFERENCED_ROW (old form)
            Map.entry(1451, SqlFailure.REJECTED),        // ER_ROW_IS_REFERENCED_2
            Map.entry(1062, SqlFailure.REJECTED),        // ER_DUP_ENTRY
            Map.entry(1048, SqlFailure.REJECTED),        // ER_BAD_NULL_ERROR
            Map.entry(1406, SqlFailure.REJECTED),        // ER_DATA_TOO_LONG
            Map.entry(1264, SqlFailure.REJECTED),        // ER_WARN_DATA_OUT_OF_RANGE
            Map.entry(1292, SqlFailure.REJECTED),        // ER_TRUNCATED_WRONG_VALUE (bad date, number)
            Map.entry(1265, SqlFailure.REJECTED),        // WARN_DATA_TRUNCATED, an error in strict mode (bad ENUM), 01000
            Map.entry(1366, SqlFailure.REJECTED),        // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: "Incorrect string value", HY000
            Map.entry(3819, SqlFailure.REJECTED),        // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8), HY000
            Map.entry(4025, SqlFailure.REJECTED),        // ER_CONSTRAINT_FAILED (MariaDB CHECK)
            Map.entry(3140, SqlFailure.REJECTED),        // ER_INVALID_JSON_TEXT
            Map.entry(1213, SqlFailure.TRANSIENT),       // ER_LOCK_DEADLOCK (SQLSTATE 40001)
            Map.entry(1205, SqlFailure.TRANSIENT),       // ER_LOCK_WAIT_TIMEOUT
            Map.entry(1290, SqlFailure.TRANSIENT),       // ER_OPTION_PREVENTS_STATEMENT (--read-only), HY000
            Map.entry(1792, SqlFailure.TRANSIENT),       // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION (25006)
            Map.entry(1836, SqlFailure.TRANSIENT),       // ER_READ_ONLY_MODE
            Map.entry(1142, SqlFailure.TRANSIENT),       // ER_TABLEACCESS_DENIED_ERROR: a grant is missing
            Map.entry(1044, SqlFailure.TRANSIENT),       // ER_DBACCESS_DENIED_ERROR
            Map.entry(1040, SqlFailure.TRANSIENT),       // ER_CON_COUNT_ERROR: too many connections
            Map.entry(1927, SqlFailure.TRANSIENT));      // ER_CONNECTION_KILLED (MariaDB)

    @Override
    public String name() {
        return "mysql";
    }

    /**
     * Not INSERT IGNORE (it also turns truncation and FK errors into warnings), and not ON DUPLICATE KEY
     * UPDATE (the driver reports found rows, so a no-op update still counts 1).
     */
    @Override
    public String insertIfAbsent(String table, List<String> columns, List<String> keys, Set<String> json) {
        return "INSERT INTO " + table + " (" + columns(columns) + ") SELECT " + values(columns, json, this::jsonParam)
                + " FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + keyMatch(keys, "", ":") + ")";
    }

    @Override
    public String upsert(String table, List<String> columns, List<String> keys, Set<String> json) {
        List<String> updates = nonKey(columns, keys);
        String set = (updates.isEmpty() ? keys : updates).stream()
                .map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + columns(columns) + ") VALUES (" + values(columns, json, this::jsonParam)
                + ") ON DUPLICATE KEY UPDATE " + set;
    }

    /**
     * As UTC text (the pool sets the session zone to UTC): mysql-connector-j reads MariaDB 10's version
     * as "5.5.5-..." and then drops the fractional seconds of a bound Timestamp.
     */
    @Override
    public Object timestamp(Instant instant) {
        if (instant == null) {
            return null;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return UTC_MICROS.format(instant);
        }
        // The same text as UTC_MICROS, without the formatter's per-field machinery (a bulk write formats
        // one or two per row).
        char[] c = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', ' ', '0', '0', ':', '0', '0', ':', '0', '0', '.',
                '0', '0', '0', '0', '0', '0'};
        put(c, 0, t.getYear(), 4);
        put(c, 5, t.getMonthValue(), 2);
        put(c, 8, t.getDayOfMonth(), 2);
        put(c, 11, t.getHour(), 2);
        put(c, 14, t.getMinute(), 2);
        put(c, 17, t.getSecond(), 2);
        put(c, 20, t.getNano() / 1000, 6);
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    @Override
    public Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    @Override
    public SqlFailure classify(SQLException e) {
        return SqlText.classify(CODES, e.getErrorCode(), e.getSQLState());
    }
}
