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
import java.util.Set;
import java.util.stream.Collectors;

/** MySQL 8 and MariaDB 10.x, through mysql-connector-j or MariaDB Connector/J. */
public final class MySqlDialect implements Dialect {
    private static final DateTimeFormatter UTC_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final int ER_NO_REFERENCED_ROW = 1452;
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

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
        return switch (e.getErrorCode()) {
            case ER_NO_REFERENCED_ROW -> SqlFailure.MISSING_PARENT;
            case ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT -> SqlFailure.TRANSIENT;
            default -> SqlText.classifyByState(e.getSQLState());
        };
    }
}
