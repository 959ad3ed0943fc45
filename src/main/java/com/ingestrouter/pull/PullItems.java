package com.ingestrouter.pull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.errors.PullFailed;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.Redaction;
import com.ingestrouter.sink.PipelineRecords;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/**
 * The items of a pull: finds the array in the response (a failed run when there is none) and hands the
 * items, as one batch, to the source's write route, built from the validate and SQL sink blocks like any
 * pipeline (routes/posts-pull.camel.yaml). Invalid items are dead-lettered there, the rest written.
 */
public final class PullItems {
    private final ObjectMapper json;
    private final Intake intake;

    public PullItems(ObjectMapper json, Intake intake) {
        this.json = json;
        this.intake = intake;
    }

    /**
     * The items of the response, as one batch of records for the source's write route
     * ({@code direct:<pipeline>-items}): each keeps its JSON text, and its dead letter says where it came
     * from (url, run, index).
     */
    public List<Exchange> parse(Exchange exchange) {
        PullSettings settings = PullSettings.of(exchange);
        String body = exchange.getMessage().getBody(String.class);
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new PullFailed("response from " + settings.url() + " is not JSON: " + e.getOriginalMessage());
        }
        JsonNode items = at(root, settings.itemPath());
        if (items == null || !items.isArray()) {
            throw new PullFailed("response from " + settings.url() + " has no JSON array at " + settings.itemPath()
                    + " (found " + (items == null ? "nothing" : items.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + ")");
        }
        PullRun run = exchange.getProperty(PullRun.PROPERTY, PullRun.class);
        List<Exchange> records = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            Exchange record = new DefaultExchange(exchange.getContext());
            record.getMessage().setBody(item.toString());
            record.setProperty(MessageKeys.PIPELINE, settings.pipeline());
            record.setProperty(MessageKeys.TYPE, settings.pipeline());
            // On a record the URL is only stored (posts.source) and shown: never with the source's token.
            record.setProperty(PullSettings.URL, Redaction.redact(settings.url()));
            intake.capture(record);
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("url", Redaction.redact(settings.url()));
            source.put("run", run.id());
            source.put("index", records.size());
            record.setProperty(MessageKeys.SOURCE, source);
            records.add(record);
        }
        run.items(records.size());
        exchange.setProperty(MessageKeys.PIPELINE, settings.pipeline());
        exchange.setProperty(PipelineRecords.ROUTE, exchange.getFromRouteId());
        PipelineRecords.batch(exchange, records);
        return records;
    }

    /** After the write route: what it stored (or found unchanged) counts for the run; dead letters do not. */
    public void count(Exchange exchange) {
        PullRun run = exchange.getProperty(PullRun.PROPERTY, PullRun.class);
        for (Exchange record : PipelineRecords.records(exchange)) {
            if (!"dead_lettered".equals(record.getProperty(MessageKeys.OUTCOME, String.class))) {
                run.itemStored();
            }
        }
    }

    /** {@code $} is the whole document; {@code $.data.items} (or {@code data.items}) a nested field. */
    static JsonNode at(JsonNode root, String path) {
        String p = path == null ? "" : path.trim();
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        JsonNode node = root;
        for (String part : p.split("\\.")) {
            if (!part.isEmpty()) {
                node = node == null ? null : node.get(part);
            }
        }
        return node;
    }
}
