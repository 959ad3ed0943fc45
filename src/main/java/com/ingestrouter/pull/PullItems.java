package com.ingestrouter.pull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.errors.PullFailed;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.sql.Database;
import com.ingestrouter.validation.JsonValidator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * The items of a pull: finds the array in the response (a failed run when there is none) and upserts
 * each valid item into the pull's table, one column per configured field ({@code userId -> user_id})
 * plus {@code source} (the URL) and {@code ingested_at}. Invalid items throw InvalidMessageException,
 * which the {@code dead-letter} policy sends to {@code dlq:<pipeline>}.
 */
public final class PullItems {
    private static final String SPLIT_INDEX = "CamelSplitIndex";
    private final Database db;
    private final Metrics metrics;
    private final JsonValidator validator;
    private final ObjectMapper json;
    private final Map<String, String> upserts = new ConcurrentHashMap<>();

    public PullItems(Database db, Metrics metrics, JsonValidator validator, ObjectMapper json) {
        this.db = db;
        this.metrics = metrics;
        this.validator = validator;
        this.json = json;
    }

    /** The items of the response, each as its JSON text. */
    public List<String> parse(Exchange exchange) {
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
        List<String> texts = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            texts.add(item.toString());
        }
        exchange.getProperty(PullRun.PROPERTY, PullRun.class).items(texts.size());
        return texts;
    }

    /** Validates and upserts one item; returns the outcome for the processed-messages log. */
    public String store(Exchange exchange) {
        PullSettings settings = PullSettings.of(exchange);
        PullRun run = exchange.getProperty(PullRun.PROPERTY, PullRun.class);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", settings.url());
        source.put("run", run.id());
        source.put("index", exchange.getProperty(SPLIT_INDEX));
        exchange.setProperty(MessageKeys.SOURCE, source);

        JsonNode item = validator.parseObject(exchange.getMessage().getBody(String.class));
        JsonNode key = item.get(settings.key());
        if (key != null && key.isValueNode()) {
            exchange.setProperty(MessageKeys.EVENT_ID, key.asText());
        }
        validator.validate(settings.schema(), item);

        List<String> columns = new ArrayList<>();
        Map<String, Object> row = new HashMap<>();
        for (String field : settings.fields()) {
            String column = PullSettings.column(field);
            columns.add(column);
            row.put(column, value(item.get(field)));
        }
        columns.add("source");
        row.put("source", settings.url());
        columns.add("ingested_at");
        row.put("ingested_at", db.dialect().timestamp(Instant.now()));
        String statement = upserts.computeIfAbsent(settings.table() + ":" + columns, k ->
                db.dialect().upsert(settings.table(), columns, List.of(PullSettings.column(settings.key()))));
        metrics.timeDb(settings.pipeline(), "upsert", () -> db.query(() -> db.jdbc().update(statement, row)));
        run.itemStored();
        return "stored";
    }

    private static Object value(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isTextual() ? node.textValue() : node.toString();
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
