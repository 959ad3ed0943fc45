package com.ingestrouter.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.sql.Database;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Embedded mode: the same envelope in the {@code dead_letters} table, one row per entry. */
public final class JdbcDeadLetterStore implements DeadLetterStore {
    private final Database db;
    private final ObjectMapper json;

    public JdbcDeadLetterStore(Database db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public boolean append(DeadLetter letter) {
        // Embedded mode only, where no source has a log position to be re-read from.
        db.query(() -> db.jdbc().update(
                "INSERT INTO dead_letters (id, pipeline, event_id, envelope, failed_at) "
                        + "VALUES (:id, :pipeline, :eventId, :envelope, CURRENT_TIMESTAMP)",
                Map.of("id", letter.id(), "pipeline", letter.pipeline(),
                        "eventId", letter.eventId() == null ? "" : letter.eventId(), "envelope", letter.toJson(json))));
        return true;
    }

    @Override
    public List<DeadLetter> list(String pipeline, int offset, int limit) {
        return db.query(() -> db.jdbc().query(
                db.dialect().page("SELECT envelope FROM dead_letters WHERE pipeline = :pipeline ORDER BY seq"),
                Map.of("pipeline", pipeline, "offset", offset, "limit", limit),
                (rs, i) -> DeadLetter.fromJson(json, rs.getString(1))));
    }

    @Override
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        db.query(() -> db.jdbc().getJdbcTemplate().queryForList(
                "SELECT pipeline, COUNT(*) AS entries FROM dead_letters GROUP BY pipeline ORDER BY pipeline"))
                .forEach(row -> counts.put(String.valueOf(row.get("pipeline")), ((Number) row.get("entries")).longValue()));
        return counts;
    }

    @Override
    public long count(String pipeline) {
        return db.query(() -> db.jdbc().queryForObject("SELECT COUNT(*) FROM dead_letters WHERE pipeline = :pipeline",
                Map.of("pipeline", pipeline), Long.class));
    }

    @Override
    public boolean remove(String pipeline, String id) {
        return db.query(() -> db.jdbc().update("DELETE FROM dead_letters WHERE pipeline = :pipeline AND id = :id",
                Map.of("pipeline", pipeline, "id", id))) > 0;
    }

    @Override
    public long purge(String pipeline) {
        return db.query(() -> db.jdbc().update("DELETE FROM dead_letters WHERE pipeline = :pipeline",
                Map.of("pipeline", pipeline)));
    }

    @Override
    public void ping() {
        try {
            db.ping();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "database";
    }


}
