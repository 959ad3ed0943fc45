package com.ingestrouter.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.sql.Database;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * Worker side of logs: stores the record text in the JSON column under the id given to the client.
 * Insert-if-absent on that id makes a redelivery (crash after commit, before ack) a no-op.
 */
public final class LogStore {
    private static final List<String> COLUMNS = List.of("id", "data", "level");
    private static final List<String> KEY = List.of("id");
    private static final Set<String> JSON = Set.of("data");

    private final Database db;
    private final Metrics metrics;
    private final LogRecords records;
    private final String insert;

    public LogStore(Database db, Metrics metrics, LogRecords records) {
        this.db = db;
        this.metrics = metrics;
        this.records = records;
        this.insert = db.dialect().insertIfAbsent("logs", COLUMNS, KEY, JSON);
    }

    /** Returns the outcome: {@code stored}, or {@code duplicate} when the id is already there. */
    public String store(Exchange exchange) {
        UUID id = records.id(exchange);
        String body = exchange.getMessage().getBody(String.class);
        JsonNode record = records.parse(body);
        Map<String, Object> row = new HashMap<>();
        row.put("id", db.dialect().uuid(id));
        row.put("data", body);
        row.put("level", LogRecords.level(record));
        int inserted = metrics.timeDb("logs", "store", () -> db.query(() -> db.insertIfAbsent(insert, row)));
        return inserted == 1 ? "stored" : "duplicate";
    }
}
