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
 *
 * <p>On mysql-connector-j ({@code jdbc:mysql:}) an {@code INSERT ... VALUES (...) [ON DUPLICATE KEY
 * UPDATE ...]} is sent as the multi-row statement the driver's {@code rewriteBatchedStatements} would
 * build from the batch, but built here: the driver's rewrite encodes and escapes every string twice
 * (once only to size the statement against max_allowed_packet) and copies every bound value into the
 * rewritten statement, together ~18% of a users drain's consumer threads. The statement and its rows are
 * the same; its size is bounded here from the values' lengths ({@link #STATEMENT_BYTES}, or half the
 * server's max_allowed_packet).
 */
public final class BatchWriter {
    private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");
    /** Rows per multi-row statement at most (a power of two). */
    static final int MAX_ROWS = 512;
    /**
     * Upper bound of one multi-row statement's size, far under max_allowed_packet (MariaDB's default is
     * 16 MiB, MySQL 8's 64 MiB, MySQL 5.x's 1 MiB). A larger batch goes in several statements; a single
     * row larger than this goes alone, as the driver would send it.
     */
    static final long STATEMENT_BYTES = 512 * 1024;

    private final JdbcTemplate jdbc;
    private final boolean multiRow;
    /** The statement size bound, from the server's max_allowed_packet when first needed. */
    private volatile long statementBytes;

    public BatchWriter(Database db) {
        this.jdbc = db.jdbc().getJdbcTemplate();
        this.multiRow = db.buildsMultiRowInserts();
    }

    /**
     * A statement compiled for positional binding.
     *
     * @param sql      the statement with {@code ?} markers
     * @param slots    for each marker, the index into the row of the value it binds
     * @param sqlTypes for each row value, its {@link Types} code, used to bind a null
     */
    public record Statement(String sql, int[] slots, int[] sqlTypes, int groupFrom, int groupTo, String[] shapes) {

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
            String text = sql.toString();
            int[] group = valuesGroup(text);
            return new Statement(text, slots.stream().mapToInt(Integer::intValue).toArray(), sqlTypes.clone(),
                    group[0], group[1], new String[Integer.numberOfTrailingZeros(MAX_ROWS) + 1]);
        }

        /**
         * Where the one row of an {@code INSERT ... VALUES (...)} is, [from, to) of its {@code (...)}, when
         * it can be repeated for more rows: every marker inside it, and after it nothing or MySQL's ON
         * DUPLICATE KEY UPDATE (the statements the driver's batch rewrite accepts). Else {-1, -1}.
         */
        static int[] valuesGroup(String sql) {
            int[] none = {-1, -1};
            String upper = sql.toUpperCase(java.util.Locale.ROOT);
            int values = upper.indexOf(" VALUES (");
            if (!upper.startsWith("INSERT INTO ") || values < 0 || upper.indexOf(" VALUES (", values + 1) >= 0) {
                return none;
            }
            int from = values + " VALUES ".length();
            int depth = 0;
            int to = -1;
            for (int i = from; i < sql.length() && to < 0; i++) {
                char c = sql.charAt(i);
                if (c == '\'' || c == '"' || c == '`') {
                    return none;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    to = i + 1;
                }
            }
            if (to < 0 || sql.substring(0, from).indexOf('?') >= 0 || sql.indexOf('?', to) >= 0) {
                return none;
            }
            String tail = upper.substring(to);
            // LAST_INSERT_ID would see one row of many (the driver does not rewrite it either).
            boolean rowWise = tail.contains("LAST_INSERT_ID");
            return !rowWise && (tail.isEmpty() || tail.startsWith(" ON DUPLICATE KEY UPDATE ")) ? new int[] {from, to} : none;
        }

        boolean repeatable() {
            return groupFrom >= 0;
        }

        /**
         * The statement for {@code rows} rows: its VALUES group repeated. The power-of-two shapes the batch
         * uses are built once: the same String then also finds the driver's parsed statement without
         * hashing and comparing a long text again for every batch.
         */
        String sqlFor(int rows) {
            int shape = Integer.numberOfTrailingZeros(rows);
            if (Integer.bitCount(rows) != 1 || shape >= shapes.length) {
                return build(rows);
            }
            String built = shapes[shape];
            if (built == null) {
                built = build(rows);
                shapes[shape] = built;
            }
            return built;
        }

        private String build(int rows) {
            if (rows == 1) {
                return sql;
            }
            String group = sql.substring(groupFrom, groupTo);
            StringBuilder out = new StringBuilder(sql.length() + (group.length() + 2) * (rows - 1));
            out.append(sql, 0, groupTo);
            for (int i = 1; i < rows; i++) {
                out.append(", ").append(group);
            }
            return out.append(sql, groupTo, sql.length()).toString();
        }

        void bind(PreparedStatement ps, Object[] row) throws SQLException {
            bind(ps, row, 0);
        }

        /** Binds the row's values from parameter {@code offset + 1} on. */
        void bind(PreparedStatement ps, Object[] row, int offset) throws SQLException {
            for (int i = 0; i < slots.length; i++) {
                Object value = row[slots[i]];
                int at = offset + i + 1;
                // The typed setters for the common values: setObject looks the value's class up in the
                // driver's encoder table for every value (6% of a payments drain's consumer thread).
                if (value == null) {
                    ps.setNull(at, sqlTypes[slots[i]]);
                } else if (value instanceof String text) {
                    ps.setString(at, text);
                } else if (value instanceof Long number) {
                    ps.setLong(at, number);
                } else if (value instanceof java.math.BigDecimal decimal) {
                    ps.setBigDecimal(at, decimal);
                } else {
                    ps.setObject(at, value);
                }
            }
        }

        /**
         * At least the bytes the row's values take in the statement text: a char is at most 3 UTF-8
         * bytes, and escaping at most doubles it; binary as escaped text; numbers by their digits.
         */
        long textBytes(Object[] row) {
            long bytes = 0;
            for (int slot : slots) {
                Object value = row[slot];
                if (value instanceof String text) {
                    bytes += 6L * text.length() + 3;
                } else if (value instanceof byte[] binary) {
                    bytes += 2L * binary.length + 16;
                } else if (value instanceof java.math.BigDecimal decimal) {
                    bytes += decimal.precision() + Math.abs((long) decimal.scale()) + 8;
                } else {
                    bytes += 64;
                }
            }
            return bytes + 2L * slots.length;
        }
    }

    /** Writes the rows as one JDBC batch; returns the drivers' update counts (may be SUCCESS_NO_INFO). */
    public int[] batch(Statement statement, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        if (multiRow && statement.repeatable() && rows.size() > 1) {
            return multiRow(statement, rows);
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

    /**
     * The rows as multi-row statements, in order, each of a power of two rows within {@link #MAX_ROWS}
     * and the size bound (a batch of 500: 256 + 128 + 64 + 32 + 16 + 4 rows). Per-row counts are not
     * known (the driver's rewrite reports SUCCESS_NO_INFO for them too); no writer reads them.
     */
    private int[] multiRow(Statement statement, List<Object[]> rows) {
        long budget = statementBytes();
        long fixed = statement.sql().length();
        // A prepared statement takes at most 65535 markers (were the URL to ask for server-side prepares).
        int maxRows = Math.max(1, Math.min(MAX_ROWS, 65535 / Math.max(1, statement.slots().length)));
        long[] sizes = new long[rows.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = statement.textBytes(rows.get(i));
        }
        int from = 0;
        while (from < rows.size()) {
            int to = from;
            long bytes = fixed;
            while (to < rows.size() && to - from < maxRows) {
                long row = sizes[to];
                if (to > from && bytes + row > budget) {
                    break;
                }
                bytes += row;
                to++;
            }
            // A power of two rows per statement: the driver parses a statement's text once and keeps it
            // (prepStmtCacheSqlLimit, Database), so a few shapes are parsed once per connection; a shape
            // per batch size was parsed for every batch (12% of the consumer threads).
            to = from + Integer.highestOneBit(to - from);
            List<Object[]> chunk = rows.subList(from, to);
            jdbc.update(statement.sqlFor(chunk.size()), ps -> {
                int offset = 0;
                for (Object[] row : chunk) {
                    statement.bind(ps, row, offset);
                    offset += statement.slots().length;
                }
            });
            from = to;
        }
        int[] counts = new int[rows.size()];
        java.util.Arrays.fill(counts, java.sql.Statement.SUCCESS_NO_INFO);
        return counts;
    }

    /** {@link #STATEMENT_BYTES}, or half the server's max_allowed_packet where that is smaller. */
    private long statementBytes() {
        long bytes = statementBytes;
        if (bytes == 0) {
            Long packet = jdbc.queryForObject("SELECT @@max_allowed_packet", Long.class);
            bytes = packet == null ? STATEMENT_BYTES : Math.max(1024, Math.min(STATEMENT_BYTES, packet / 2));
            statementBytes = bytes;
        }
        return bytes;
    }

    /** Writes one row; returns its update count. */
    public int update(Statement statement, Object[] row) {
        return jdbc.update(statement.sql(), ps -> statement.bind(ps, row));
    }
}
