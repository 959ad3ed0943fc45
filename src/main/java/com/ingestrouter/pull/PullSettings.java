package com.ingestrouter.pull;

import java.time.Duration;
import org.apache.camel.Exchange;

/**
 * The parameters of one pull, as {@link PullSources} puts them on the exchange from the templated
 * route's parameters (routes/pull-template.camel.yaml). Where the items are written is the source's
 * own route, {@code direct:<pipeline>-items}.
 */
public record PullSettings(String pipeline, String url, String itemPath, int attempts, Duration retryDelay,
        Duration retryMaxDelay) {

    public static final String PIPELINE = "pullPipeline";
    public static final String URL = "pullUrl";
    public static final String ITEM_PATH = "pullItemPath";
    public static final String ATTEMPTS = "pullAttempts";
    public static final String RETRY_DELAY_MS = "pullRetryDelayMs";
    public static final String RETRY_MAX_DELAY_MS = "pullRetryMaxDelayMs";

    public static PullSettings of(Exchange exchange) {
        return new PullSettings(
                required(exchange, PIPELINE),
                required(exchange, URL),
                exchange.getProperty(ITEM_PATH, "$", String.class),
                Math.max(1, Integer.parseInt(required(exchange, ATTEMPTS).trim())),
                Duration.ofMillis(Long.parseLong(required(exchange, RETRY_DELAY_MS).trim())),
                Duration.ofMillis(Long.parseLong(required(exchange, RETRY_MAX_DELAY_MS).trim())));
    }

    private static String required(Exchange exchange, String name) {
        String value = exchange.getProperty(name, String.class);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("pull setting " + name + " is missing");
        }
        return value;
    }
}
