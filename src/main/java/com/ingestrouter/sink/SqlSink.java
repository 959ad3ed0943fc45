package com.ingestrouter.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.batch.BatchRecords;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.observe.ProcessedMessages;
import com.ingestrouter.sql.BatchWriter;
import com.ingestrouter.sql.Database;
import com.ingestrouter.sql.Dialect;
import com.ingestrouter.validation.JsonValidator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The SQL sink block ({@code kamelets/ingest-sql-sink.kamelet.yaml}): maps each record's fields onto
 * columns of one table and writes a consumed batch set-wise, in one transaction, through the
 * {@link BatchWriter}. The table's key is the idempotency check, inside that transaction:
 * <ul>
 *   <li>upsert: a new key is {@code stored}, a changed record {@code updated}, an identical one a
 *       {@code duplicate} (not written again);</li>
 *   <li>insert-if-absent: the first record of a key is {@code stored}, later ones are {@code duplicate}
 *       and, with {@code refusedTable}, written there once; a broker redelivery of the stored record
 *       itself (crash after commit, before ack) is recognised and not refused;</li>
 *   <li>append: every record is {@code stored}.</li>
 * </ul>
 * When the transaction fails, nothing of it was written: each record then goes on its own through
 * {@code direct:ingest-record}, under the shared dead-letter policy, so only a bad record is
 * dead-lettered and a database outage is retried until it ends. Invalid records take that route too.
 */
public final class SqlSink extends Block {
    private static final Logger LOG = LoggerFactory.getLogger(SqlSink.class);
    static final String RECORD_ROUTE = "direct:ingest-record";
    /** The sink a record belongs to, for the per-record route. */
    static final String SINK = "ingestSink";
    static final String STORED = "stored";
    static final String UPDATED = "updated";
    static final String DUPLICATE = "duplicate";
    private static final int SELECT_CHUNK_VALUES = 900;

    private String table;
    private String key;
    private String columns;
    private String mode = "upsert";
    private String refusedTable;

    private volatile Prepared prepared;

    /** A row ready to bind, and what to compare it with. */
    record Row(Exchange record, List<Object> key, Object[] values, Object[] comparable, boolean redelivered) {
    }

    public void setTable(String table) {
        this.table = table;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public void setColumns(String columns) {
        this.columns = columns;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public void setRefusedTable(String refusedTable) {
        this.refusedTable = refusedTable;
    }

    public SinkSpec spec() {
        return prepared().spec;
    }

    /** The route step: a batch (or, embedded, one record) in; outcomes recorded, bad records dead-lettered. */
    public void process(Exchange exchange) throws Exception {
        Prepared p = prepared();
        List<Exchange> records = PipelineRecords.of(exchange, p.intake);
        List<Row> rows = new ArrayList<>(records.size());
        List<Exchange> onTheirOwn = new ArrayList<>();
        for (Exchange record : records) {
            record.setProperty(SINK, this);
            Row row = p.row(record);
            if (row == null) {
                onTheirOwn.add(record);
            } else {
                rows.add(row);
            }
        }
        if (!rows.isEmpty()) {
            try {
                List<String> outcomes = p.metrics.timeDb(pipeline(records), "write-batch",
                        () -> p.db.inTransaction(() -> p.writeBatch(rows)));
                for (int i = 0; i < rows.size(); i++) {
                    Exchange record = rows.get(i).record();
                    record.setProperty(MessageKeys.OUTCOME, outcomes.get(i));
                    p.processed.record(record);
                }
            } catch (RuntimeException e) {
                LOG.info("Batch of {} records for {} failed as a whole ({}); writing them one by one", rows.size(),
                        p.spec.table(), e.getMessage());
                List<Exchange> all = new ArrayList<>(rows.size());
                rows.forEach(r -> all.add(r.record()));
                onTheirOwn.addAll(0, all);
            }
        }
        // Their dead letters name the pipeline's route, not the shared per-record one.
        String route = exchange.getProperty(PipelineRecords.ROUTE, exchange.getFromRouteId(), String.class);
        onTheirOwn.forEach(r -> r.getExchangeExtension().setFromRouteId(route));
        p.batches.throughRoute(RECORD_ROUTE, onTheirOwn);
    }

    /** One record in its own transaction (the per-record route); returns its outcome. */
    public String writeOne(Exchange record) {
        Prepared p = prepared();
        Row row = p.row(record);
        if (row == null) {
            throw record.getProperty(PipelineRecords.INVALID, InvalidMessageException.class);
        }
        return p.metrics.timeDb(pipeline(List.of(record)), "write", () -> p.db.inTransaction(() -> p.writeOne(row)));
    }

    private static String pipeline(List<Exchange> records) {
        return records.isEmpty() ? "unknown" : records.get(0).getProperty(MessageKeys.PIPELINE, "unknown", String.class);
    }

    private Prepared prepared() {
        Prepared p = prepared;
        if (p == null) {
            synchronized (this) {
                if (prepared == null) {
                    prepared = new Prepared(SinkSpec.parse(table, key, columns, mode, refusedTable), this);
                }
                p = prepared;
            }
        }
        return p;
    }

    /** The sink's statements and collaborators, made once. */
    static final class Prepared {
        final SinkSpec spec;
        final Database db;
        final Dialect dialect;
        final Metrics metrics;
        final ProcessedMessages processed;
        final Intake intake;
        final JsonValidator validator;
        final BatchRecords batches;
        final BatchWriter writer;
        final BatchWriter.Statement write;
        final BatchWriter.Statement writeIfAbsent;
        final BatchWriter.Statement refuse;
        final int[] keyIndex;
        /** Each column's field name for a refusal, worked out once: it costs a regex match. */
        final String[] fields;

        Prepared(SinkSpec spec, Block block) {
            this.spec = spec;
            this.db = block.lookup("database", Database.class);
            this.dialect = db.dialect();
            this.metrics = block.lookup("metrics", Metrics.class);
            this.processed = block.lookup("processedMessages", ProcessedMessages.class);
            this.intake = block.lookup("intake", Intake.class);
            this.validator = block.lookup("jsonValidator", JsonValidator.class);
            this.batches = new BatchRecords(block.getCamelContext().createProducerTemplate());
            this.writer = new BatchWriter(db);
            List<String> names = spec.columnNames();
            int[] types = spec.sqlTypes();
            Set<String> json = spec.jsonColumns();
            String writeSql = switch (spec.mode()) {
                case UPSERT -> dialect.upsert(spec.table(), names, spec.key(), json);
                // Keys were just checked in the transaction: a racing instance makes the batch fail and
                // the one-by-one path then uses the race-proof statement.
                case INSERT_IF_ABSENT, APPEND -> dialect.insert(spec.table(), names, json);
            };
            this.write = BatchWriter.Statement.of(writeSql, names, types);
            this.writeIfAbsent = spec.key().isEmpty() ? null
                    : BatchWriter.Statement.of(dialect.insertIfAbsent(spec.table(), names, spec.key(), json), names, types);
            this.refuse = spec.refusedTable() == null ? null
                    : BatchWriter.Statement.of(dialect.insertIfAbsent(spec.refusedTable(), names, spec.key(), json), names, types);
            this.keyIndex = spec.key().stream().mapToInt(names::indexOf).toArray();
            this.fields = spec.columns().stream().map(Column::field).toArray(String[]::new);
        }

        /** The record's row, or null when it cannot be written (the reason left on the record). */
        Row row(Exchange record) {
            JsonNode node = PipelineRecords.parsed(record, validator, 0);
            if (node == null) {
                nameFromMessage(record);
                return null;
            }
            try {
                List<Column> cols = spec.columns();
                Object[] values = new Object[cols.size()];
                Object[] comparable = new Object[cols.size()];
                Instant now = null;
                for (int i = 0; i < values.length; i++) {
                    Column c = cols.get(i);
                    if (c.generated()) {
                        now = now == null ? Instant.now() : now;
                        values[i] = dialect.timestamp(now);
                        continue;
                    }
                    JsonNode value = c.value(node, record);
                    if (value == null || value.isNull()) {
                        continue;
                    }
                    if (c.source().equals("$") && c.type() == ColumnType.JSON) {
                        // The record as sent, byte for byte, not Jackson's re-serialisation of it.
                        values[i] = record.getMessage().getBody(String.class);
                    } else {
                        values[i] = c.type().fromJson(value, fields[i], dialect);
                    }
                    comparable[i] = c.type().comparable(value, fields[i], dialect);
                }
                List<Object> key = new ArrayList<>(keyIndex.length);
                for (int k : keyIndex) {
                    if (values[k] == null) {
                        throw new InvalidMessageException(fields[k], "key field is missing");
                    }
                    key.add(normal(comparable[k]));
                }
                if (!key.isEmpty()) {
                    record.setProperty(MessageKeys.EVENT_ID, key.size() == 1 ? String.valueOf(key.get(0)) : key.toString());
                }
                boolean redelivered = Boolean.TRUE.equals(
                        record.getMessage().getHeader(SpringRabbitMQConstants.REDELIVERED, Boolean.class));
                return new Row(record, key, values, comparable, redelivered);
            } catch (InvalidMessageException e) {
                record.setProperty(PipelineRecords.INVALID, e);
                return null;
            }
        }

        /**
         * A record that is not even JSON is still named in its dead letter when its key comes from the
         * message rather than the body (logs: the AMQP message id), so a replay keeps that id.
         */
        private void nameFromMessage(Exchange record) {
            if (record.getProperty(MessageKeys.EVENT_ID) != null || keyIndex.length != 1) {
                return;
            }
            Column key = spec.columns().get(keyIndex[0]);
            if (!key.fromMessage()) {
                return;
            }
            JsonNode value = key.value(null, record);
            if (value != null && !value.asText().isBlank()) {
                record.setProperty(MessageKeys.EVENT_ID, value.asText());
            }
        }

        List<String> writeBatch(List<Row> rows) {
            List<String> outcomes = new ArrayList<>(rows.size());
            if (spec.mode() == SinkMode.APPEND) {
                List<Object[]> values = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    values.add(row.values());
                    outcomes.add(STORED);
                }
                writer.batch(write, values);
                return outcomes;
            }
            Map<List<Object>, Object[]> known = stored(rows.stream().map(Row::key).distinct().toList());
            // Only a row committed before this batch can be a redelivered record's own row; a copy of a key
            // this batch writes is a second message, so a real duplicate, redelivered or not.
            Set<List<Object>> storedBefore = Set.copyOf(known.keySet());
            // Last write per key: one statement per key keeps PostgreSQL's multi-row upsert legal.
            Map<List<Object>, Object[]> writes = new LinkedHashMap<>();
            List<Object[]> refused = new ArrayList<>();
            Set<List<Object>> refusedKeys = new HashSet<>();
            for (Row row : rows) {
                Object[] current = known.get(row.key());
                if (current == null) {
                    known.put(row.key(), row.comparable());
                    writes.put(row.key(), row.values());
                    outcomes.add(STORED);
                } else if (spec.mode() == SinkMode.UPSERT) {
                    if (same(current, row.comparable())) {
                        outcomes.add(DUPLICATE);
                    } else {
                        known.put(row.key(), row.comparable());
                        writes.put(row.key(), row.values());
                        outcomes.add(UPDATED);
                    }
                } else {
                    boolean ownRow = row.redelivered() && storedBefore.contains(row.key()) && same(current, row.comparable());
                    if (refuse != null && !ownRow && refusedKeys.add(row.key())) {
                        refused.add(row.values());
                    }
                    outcomes.add(DUPLICATE);
                }
            }
            writer.batch(write, new ArrayList<>(writes.values()));
            if (refuse != null) {
                writer.batch(refuse, refused);
            }
            return outcomes;
        }

        String writeOne(Row row) {
            switch (spec.mode()) {
                case APPEND -> {
                    writer.update(write, row.values());
                    return STORED;
                }
                case UPSERT -> {
                    Object[] current = stored(List.of(row.key())).get(row.key());
                    if (current != null && same(current, row.comparable())) {
                        return DUPLICATE;
                    }
                    writer.update(write, row.values());
                    return current == null ? STORED : UPDATED;
                }
                default -> {
                    if (insertIfAbsent(writeIfAbsent, row) == 1) {
                        return STORED;
                    }
                    if (refuse != null) {
                        Object[] current = stored(List.of(row.key())).get(row.key());
                        if (!(row.redelivered() && current != null && same(current, row.comparable()))) {
                            insertIfAbsent(refuse, row);
                        }
                    }
                    return DUPLICATE;
                }
            }
        }

        /** Two writers racing on a new key can both pass the absence check: the loser's clash means "there". */
        private int insertIfAbsent(BatchWriter.Statement statement, Row row) {
            try {
                return writer.update(statement, row.values());
            } catch (DuplicateKeyException e) {
                return 0;
            }
        }

        /** The stored rows of these keys, each as comparable values in column order. */
        private Map<List<Object>, Object[]> stored(List<List<Object>> keys) {
            Map<List<Object>, Object[]> found = new HashMap<>();
            List<Column> cols = spec.columns();
            int perQuery = Math.max(1, SELECT_CHUNK_VALUES / keyIndex.length);
            for (int from = 0; from < keys.size(); from += perQuery) {
                List<List<Object>> chunk = keys.subList(from, Math.min(keys.size(), from + perQuery));
                String where = keyIndex.length == 1
                        ? spec.key().get(0) + " IN (" + chunk.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")"
                        : chunk.stream().map(k -> "(" + spec.key().stream().map(c -> c + " = ?").collect(Collectors.joining(" AND ")) + ")")
                                .collect(Collectors.joining(" OR "));
                List<Object> args = new ArrayList<>();
                for (List<Object> k : chunk) {
                    for (int i = 0; i < keyIndex.length; i++) {
                        args.add(bindable(k.get(i), cols.get(keyIndex[i])));
                    }
                }
                String sql = "SELECT " + String.join(", ", spec.columnNames()) + " FROM " + spec.table() + " WHERE " + where;
                db.jdbc().getJdbcTemplate().query(sql, rs -> {
                    Object[] values = new Object[cols.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = cols.get(i).generated() ? null : cols.get(i).type().read(rs, cols.get(i).name(), dialect);
                    }
                    List<Object> k = new ArrayList<>(keyIndex.length);
                    for (int i : keyIndex) {
                        k.add(normal(values[i]));
                    }
                    found.put(k, values);
                }, args.toArray());
            }
            return found;
        }

        private Object bindable(Object comparableKey, Column column) {
            if (comparableKey instanceof Instant instant) {
                return dialect.timestamp(instant);
            }
            if (column.type() == ColumnType.UUID) {
                return dialect.uuid(java.util.UUID.fromString(comparableKey.toString()));
            }
            return comparableKey;
        }

        /** Same content: every column the record maps, apart from write-time values. */
        private boolean same(Object[] stored, Object[] record) {
            List<Column> cols = spec.columns();
            for (int i = 0; i < cols.size(); i++) {
                if (!cols.get(i).generated() && !cols.get(i).type().same(stored[i], record[i])) {
                    return false;
                }
            }
            return true;
        }

        private static Object normal(Object value) {
            return value instanceof BigDecimal d ? d.stripTrailingZeros() : value;
        }
    }
}
