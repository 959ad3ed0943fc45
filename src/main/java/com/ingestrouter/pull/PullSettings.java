package com.ingestrouter.pull;

import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * The parameters of one pull, as {@link PullSources} puts them on the exchange from the templated
 * route's parameters (routes/pull-template.camel.yaml). Table and column names come from configuration, never from fetched data, and must be plain
 * identifiers.
 */
public record PullSettings(String pipeline, String url, String itemPath, String table, String key,
        java.util.List<String> fields, String schema, int attempts, Duration retryDelay, Duration retryMaxDelay) {

    public static final String PIPELINE = "pullPipeline";
    public static final String URL = "pullUrl";
    public static final String ITEM_PATH = "pullItemPath";
    public static final String TABLE = "pullTable";
    public static final String KEY = "pullKey";
    public static final String FIELDS = "pullFields";
    public static final String SCHEMA = "pullSchema";
    public static final String ATTEMPTS = "pullAttempts";
    public static final String RETRY_DELAY_MS = "pullRetryDelayMs";
    public static final String RETRY_MAX_DELAY_MS = "pullRetryMaxDelayMs";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public static PullSettings of(Exchange exchange) {
        return new PullSettings(
                required(exchange, PIPELINE),
                required(exchange, URL),
                exchange.getProperty(ITEM_PATH, "$", String.class),
                identifier(required(exchange, TABLE)),
                identifier(exchange.getProperty(KEY, "id", String.class)),
                java.util.Arrays.stream(required(exchange, FIELDS).split(",")).map(String::trim)
                        .filter(f -> !f.isEmpty()).toList(),
                required(exchange, SCHEMA),
                Math.max(1, Integer.parseInt(required(exchange, ATTEMPTS).trim())),
                Duration.ofMillis(Long.parseLong(required(exchange, RETRY_DELAY_MS).trim())),
                Duration.ofMillis(Long.parseLong(required(exchange, RETRY_MAX_DELAY_MS).trim())));
    }

    /** Column for an item field: {@code userId -> user_id}. */
    public static String column(String field) {
        return identifier(field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT));
    }

    private static String required(Exchange exchange, String name) {
        String value = exchange.getProperty(name, String.class);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("pull setting " + name + " is missing");
        }
        return value;
    }

    private static String identifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }
}
