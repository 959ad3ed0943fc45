package com.ingestrouter.pull;

import com.ingestrouter.errors.PullFailed;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.observe.Redaction;
import com.ingestrouter.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The {@code ingestion_runs} table: a row per run, {@code running} while it works, then {@code success}
 * with the number of records stored or {@code failed} with the reason. Also answers {@code GET /status}.
 */
public final class PullRuns {
    private static final Logger LOG = LoggerFactory.getLogger(PullRuns.class);
    private static final int MAX_ERROR_LENGTH = 2000;
    private final Database db;
    private final Metrics metrics;
    private final HttpErrors http;

    public PullRuns(Database db, Metrics metrics, HttpErrors http) {
        this.db = db;
        this.metrics = metrics;
        this.http = http;
    }

    /** First step of a run: records it as running and puts it on the exchange. */
    public void start(Exchange exchange) {
        PullSettings settings = PullSettings.of(exchange);
        exchange.setProperty(MessageKeys.PIPELINE, settings.pipeline());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        db.query(() -> db.jdbc().update(
                "INSERT INTO ingestion_runs (pipeline, started_at, status, records) VALUES (:pipeline, :startedAt, 'running', 0)",
                new MapSqlParameterSource().addValue("pipeline", settings.pipeline()).addValue("startedAt", db.dialect().timestamp(now)),
                key, new String[] {"id"}));
        PullRun run = new PullRun(key.getKey().longValue(), settings.pipeline(), settings.url(), now);
        exchange.setProperty(PullRun.PROPERTY, run);
        LOG.info("{} run {} started: GET {}", run.pipeline(), run.id(), run.url());
    }

    /**
     * Last step of a run. A non-empty batch of which nothing could be stored means the source no longer
     * sends what we expect: that fails the run (the items are in the dead-letter store).
     */
    public Map<String, Object> finish(Exchange exchange) {
        PullRun run = exchange.getProperty(PullRun.PROPERTY, PullRun.class);
        if (run.items() > 0 && run.stored() == 0) {
            throw new PullFailed("none of the " + run.items() + " items is valid; they were dead-lettered to dlq:"
                    + run.pipeline());
        }
        Map<String, Object> result = end(run, "success", null);
        if (run.items() > run.stored()) {
            LOG.warn("{} run {}: {} of {} items were invalid and dead-lettered", run.pipeline(), run.id(),
                    run.items() - run.stored(), run.items());
        }
        return result;
    }

    /** The doCatch of pull.run: records the failure; the body becomes the run's result. */
    public void fail(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
        PullRun run = exchange.getProperty(PullRun.PROPERTY, PullRun.class);
        if (run == null) {
            LOG.error("pull run could not start: {}", reason, cause);
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(reason, cause);
        }
        LOG.warn("{} run {} failed: {}", run.pipeline(), run.id(), reason);
        exchange.getMessage().setBody(end(run, "failed", reason));
    }

    /** {@code POST /<pipeline>/ingest}: 200 with the run when it succeeded, 502 when the source failed it. */
    public void answer(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> result = exchange.getMessage().getBody(Map.class);
        http.answer(exchange, "success".equals(result.get("status")) ? 200 : 502, result);
    }

    /**
     * {@code GET /status} for the pipeline in the exchange property {@code pipeline}:
     * {@code {"last_successful_run", "last_attempt", "status", "records_ingested", "error"}}, where
     * {@code status} is the last run's and {@code records_ingested} what the last successful run stored.
     */
    public void status(Exchange exchange) {
        String pipeline = exchange.getProperty(MessageKeys.PIPELINE, String.class);
        List<Map<String, Object>> last = latest(pipeline, "");
        List<Map<String, Object>> lastSuccess = latest(pipeline, " AND status = 'success'");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("last_successful_run", lastSuccess.isEmpty() ? null : lastSuccess.get(0).get("finished_at"));
        body.put("last_attempt", last.isEmpty() ? null : last.get(0).get("started_at"));
        body.put("status", last.isEmpty() ? null : last.get(0).get("status"));
        body.put("records_ingested", lastSuccess.isEmpty() ? 0 : lastSuccess.get(0).get("records"));
        body.put("error", last.isEmpty() ? null : Redaction.redact((String) last.get(0).get("error")));
        http.answer(exchange, 200, body);
    }

    private List<Map<String, Object>> latest(String pipeline, String condition) {
        return db.query(() -> db.jdbc().query(db.dialect().page(
                "SELECT id, started_at, finished_at, status, records, error FROM ingestion_runs WHERE pipeline = :pipeline"
                        + condition + " ORDER BY id DESC"),
                Map.of("pipeline", pipeline, "limit", 1, "offset", 0), (rs, i) -> row(rs)));
    }

    private Map<String, Object> end(PullRun run, String status, String error) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // The reason often names the source URL, whose query may hold the source's token.
        String redacted = Redaction.redact(error);
        String text = redacted == null ? null : redacted.length() > MAX_ERROR_LENGTH ? redacted.substring(0, MAX_ERROR_LENGTH) : redacted;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", run.id());
        params.put("finishedAt", db.dialect().timestamp(now));
        params.put("status", status);
        params.put("records", run.stored());
        params.put("error", text);
        db.query(() -> db.jdbc().update("UPDATE ingestion_runs SET finished_at = :finishedAt, status = :status,"
                + " records = :records, error = :error WHERE id = :id", params));
        metrics.pullRun(run.pipeline(), status, run.stored());
        if (error == null) {
            LOG.info("{} run {} succeeded: {} records stored", run.pipeline(), run.id(), run.stored());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run_id", run.id());
        result.put("pipeline", run.pipeline());
        result.put("status", status);
        result.put("records", run.stored());
        result.put("started_at", run.startedAt().toString());
        result.put("finished_at", now.toString());
        result.put("error", text);
        return result;
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", rs.getLong("id"));
        row.put("started_at", instant(rs.getTimestamp("started_at")));
        row.put("finished_at", instant(rs.getTimestamp("finished_at")));
        row.put("status", rs.getString("status"));
        row.put("records", rs.getInt("records"));
        row.put("error", rs.getString("error"));
        return row;
    }

    private static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().truncatedTo(ChronoUnit.MICROS).toString();
    }
}
