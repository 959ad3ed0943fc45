package com.ingestrouter.posts;

import com.ingestrouter.errors.NotFoundException;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.http.Page;
import com.ingestrouter.http.QueryParams;
import com.ingestrouter.observe.Redaction;
import com.ingestrouter.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** Read API of posts: {@code GET /posts?limit=&offset=} (by id) and {@code GET /posts/{id}}. */
public final class PostQueries {
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;
    private static final String COLUMNS = "id, user_id, title, body, source, ingested_at";

    private final Database db;
    private final HttpErrors http;

    public PostQueries(Database db, HttpErrors http) {
        this.db = db;
        this.http = http;
    }

    /** {@code {"posts": [...], "count": <total>, "limit", "offset"}}. */
    public void list(Exchange exchange) {
        Page page = Page.of(exchange, DEFAULT_LIMIT, MAX_LIMIT);
        long count = db.query(() -> db.jdbc().getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM posts", Long.class));
        List<Map<String, Object>> posts = db.query(() -> db.jdbc().query(
                db.dialect().page("SELECT " + COLUMNS + " FROM posts ORDER BY id"),
                Map.of("limit", page.limit(), "offset", page.offset()), (rs, i) -> row(rs)));
        http.answer(exchange, 200, page.answer("posts", posts, count));
    }

    public void byId(Exchange exchange) {
        long id = QueryParams.id(exchange, "id");
        List<Map<String, Object>> posts = db.query(() -> db.jdbc().query(
                "SELECT " + COLUMNS + " FROM posts WHERE id = :id", Map.of("id", id), (rs, i) -> row(rs)));
        if (posts.isEmpty()) {
            throw new NotFoundException("post " + id + " not found");
        }
        http.answer(exchange, 200, posts.get(0));
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", rs.getLong("id"));
        row.put("user_id", rs.getLong("user_id"));
        row.put("title", rs.getString("title"));
        row.put("body", rs.getString("body"));
        // Rows stored before sources were redacted may still hold a token in the URL.
        row.put("source", Redaction.redact(rs.getString("source")));
        row.put("ingested_at", rs.getTimestamp("ingested_at").toInstant().truncatedTo(ChronoUnit.MICROS).toString());
        return row;
    }
}
