package com.ingestrouter.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one batch SQL writer: binds rows positionally into a dialect statement and sends them as one JDBC
 * batch on the connection of the transaction in progress ({@link Database#inTransaction}).
 *
 * <p>Why not named parameters: NamedParameterJdbcTemplate re-parses the SQL and walks a map per row,
 * which measured as the largest share of the consumers' CPU. Here the dialect's named statement is
 * compiled once into {@code ?} markers plus, per marker, the index of the row value it binds; a row is a
 * plain {@code Object[]} in column order. Statement caching is the driver's (cachePrepStmts for MySQL,
 * server-side prepare for PostgreSQL), per pooled connection. Errors surface as Spring
 * DataAccessExceptions, which {@link Database} maps onto the failure policy.
 */
public final class BatchWriter {
    private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");

    private final JdbcTemplate jdbc;

    public BatchWriter(Database db) {
        this.jdbc = db.jdbc().getJdbcTemplate();
    }

    /**
     * A statement compiled for positional binding.
     *
     * @param sql      the statement with {@code ?} markers
     * @param slots    for each marker, the index into the row of the value it binds
     * @param sqlTypes for each row value, its {@link Types} code, used to bind a null
     */
    public record Statement(String sql, int[] slots, int[] sqlTypes) {

        /**
         * Compiles a dialect statement written with {@code :column} markers. Every marker must name one
         * of {@code columns}; a column may be bound more than once (MySQL's insert-if-absent repeats the
         * key).
         */
        public static Statement of(String namedSql, List<String> columns, int[] sqlTypes) {
            if (sqlTypes.length != columns.size()) {
                throw new IllegalArgumentException("one SQL type per column expected");
            }
            Matcher m = NAMED.matcher(namedSql);
            StringBuilder sql = new StringBuilder();
            List<Integer> slots = new ArrayList<>();
            while (m.find()) {
                int index = columns.indexOf(m.group(1));
                if (index < 0) {
                    throw new IllegalArgumentException("statement names :" + m.group(1) + ", not one of " + columns);
                }
                slots.add(index);
                m.appendReplacement(sql, "?");
            }
            m.appendTail(sql);
            return new Statement(sql.toString(), slots.stream().mapToInt(Integer::intValue).toArray(), sqlTypes.clone());
        }

        void bind(PreparedStatement ps, Object[] row) throws SQLException {
            for (int i = 0; i < slots.length; i++) {
                Object value = row[slots[i]];
                // The typed setters for the common values: setObject looks the value's class up in the
                // driver's encoder table for every value (6% of a payments drain's consumer thread).
                if (value == null) {
                    ps.setNull(i + 1, sqlTypes[slots[i]]);
                } else if (value instanceof String text) {
                    ps.setString(i + 1, text);
                } else if (value instanceof Long number) {
                    ps.setLong(i + 1, number);
                } else if (value instanceof java.math.BigDecimal decimal) {
                    ps.setBigDecimal(i + 1, decimal);
                } else {
                    ps.setObject(i + 1, value);
                }
            }
        }
    }

    /** Writes the rows as one JDBC batch; returns the drivers' update counts (may be SUCCESS_NO_INFO). */
    public int[] batch(Statement statement, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        return jdbc.batchUpdate(statement.sql(), new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                statement.bind(ps, rows.get(i));
            }

            @Override
            public int getBatchSize() {
                return rows.size();
            }
        });
    }

    /** Writes one row; returns its update count. */
    public int update(Statement statement, Object[] row) {
        return jdbc.update(statement.sql(), ps -> statement.bind(ps, row));
    }
}
