package com.ingestrouter.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts each processed message and writes its one JSON log line. */
public final class ProcessedMessages {
    private static final Logger LOG = LoggerFactory.getLogger("ingest.messages");
    private final Metrics metrics;
    private final ObjectMapper json;

    public ProcessedMessages(Metrics metrics, ObjectMapper json) {
        this.metrics = metrics;
        this.json = json;
    }

    /** Called at the end of a consuming route, with {@link MessageKeys#OUTCOME} set. */
    public void record(Exchange exchange) {
        recordOutcome(exchange, exchange.getProperty(MessageKeys.OUTCOME, "stored", String.class), null);
    }

    /** Named apart from {@link #record(Exchange)} so a YAML bean call can never bind the body as the outcome. */
    public void recordOutcome(Exchange exchange, String outcome, Map<String, Object> error) {
        String pipeline = exchange.getProperty(MessageKeys.PIPELINE, "unknown", String.class);
        String type = exchange.getProperty(MessageKeys.TYPE, pipeline, String.class);
        metrics.processed(pipeline, type, outcome);
        boolean ok = "stored".equals(outcome) || "duplicate".equals(outcome) || "updated".equals(outcome);
        // The line is built only when it is written: at WARN (benchmarks, busy sites) an ok message costs
        // its counter alone.
        if (ok ? !LOG.isInfoEnabled() : !LOG.isWarnEnabled()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("eventId", exchange.getProperty(MessageKeys.EVENT_ID));
        line.put("pipeline", pipeline);
        line.put("type", type);
        Object key = exchange.getProperty(MessageKeys.KEY);
        if (key != null) {
            line.put("key", key);
        }
        line.put("source", Intake.source(exchange));
        line.put("outcome", outcome);
        line.put("latencyMs", exchange.getClock().elapsed());
        if (error != null) {
            line.put("error", error);
        }
        if (ok) {
            LOG.info(toJson(line));
        } else {
            LOG.warn(toJson(line));
        }
    }

    private String toJson(Map<String, Object> line) {
        try {
            return json.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            return line.toString();
        }
    }
}
