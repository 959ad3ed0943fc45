package com.ingestrouter.logs;

import com.fasterxml.jackson.databind.util.RawValue;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.errors.NotFoundException;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.http.Page;
import com.ingestrouter.http.QueryParams;
import com.ingestrouter.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;

/** Read API of logs: {@code GET /logs} (newest first, filtered, paged) and {@code GET /logs/{id}}. */
public final class LogQueries {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final Database db;
    private final HttpErrors http;

    public LogQueries(Database db, HttpErrors http) {
        this.db = db;
        this.http = http;
    }

    /** {@code {"logs": [{"id", "level", "inserted_at", "data"}], "count", "limit", "offset"}}. */
    public void list(Exchange exchange) {
        Page page = Page.of(exchange, DEFAULT_LIMIT, MAX_LIMIT);
        String level = QueryParams.text(exchange, "level");
        Instant since = QueryParams.instant(exchange, "since");

        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (level != null) {
            where.append(" AND level = :level");
            params.put("level", level.toLowerCase(Locale.ROOT));
        }
        if (since != null) {
            where.append(" AND inserted_at >= :since");
            params.put("since", db.dialect().timestamp(since));
        }
        long count = db.query(() -> db.jdbc().queryForObject("SELECT COUNT(*) FROM logs" + where, params, Long.class));
        params.put("limit", page.limit());
        params.put("offset", page.offset());
        List<Map<String, Object>> logs = db.query(() -> db.jdbc().query(
                db.dialect().page("SELECT id, data, level, inserted_at FROM logs" + where
                        + " ORDER BY inserted_at DESC, id DESC"),
                params, (rs, i) -> row(rs)));

        http.answer(exchange, 200, page.answer("logs", logs, count));
    }

    /** The stored record itself, as the JSON value that was sent. */
    public void byId(Exchange exchange) {
        UUID id = uuid(QueryParams.text(exchange, "id"));
        List<String> data = db.query(() -> db.jdbc().query("SELECT data FROM logs WHERE id = :id",
                Map.of("id", db.dialect().uuid(id)), (rs, i) -> rs.getString(1)));
        if (data.isEmpty()) {
            throw new NotFoundException("log " + id + " not found");
        }
        // The stored text as is, like the list's "data".
        http.answer(exchange, 200, new RawValue(data.get(0)));
    }

    private Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", UUID.fromString(rs.getString("id").trim()).toString());
        row.put("level", rs.getString("level"));
        row.put("inserted_at", rs.getTimestamp("inserted_at").toInstant().truncatedTo(ChronoUnit.MICROS).toString());
        // The stored text goes out as is (the database already guarantees it is JSON): no re-parse that
        // could round numbers or reorder keys.
        row.put("data", new RawValue(rs.getString("data")));
        return row;
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("id", "must be a UUID");
        }
    }
}
