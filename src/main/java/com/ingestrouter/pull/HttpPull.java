package com.ingestrouter.pull;

import com.ingestrouter.errors.PullFailed;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a pull's URL through the route {@code pull.call} (camel-http, timeouts from
 * {@code ingest.pull.timeout-ms}) and retries what is worth retrying: connection errors, timeouts,
 * 5xx, and 429 after its Retry-After. Anything else (a 4xx, a bad URL) fails at once. After the last
 * attempt the run fails with "failed after N attempts: <last reason>".
 */
public final class HttpPull {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPull.class);
    static final String CALL = "direct:pull.call";
    /** The URL without its query, the endpoint pull.call sends to. */
    static final String ENDPOINT = "pullEndpoint";
    private static final int TOO_MANY_REQUESTS = 429;

    private final CamelContext context;
    private volatile ProducerTemplate producer;

    public HttpPull(CamelContext context) {
        this.context = context;
    }

    /** Returns the response body; the exchange carries the pull's settings as properties. */
    public String fetch(Exchange exchange) throws InterruptedException {
        PullSettings settings = PullSettings.of(exchange);
        Backoff backoff = new Backoff(settings.retryDelay(), settings.retryMaxDelay());
        String lastReason = "no attempt made";
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            Exchange result = producer().send(CALL, call -> {
                // The source's query goes in its own header: appended to the endpoint URI, camel-http's
                // options would join its last parameter (and throwExceptionOnFailure would be lost).
                int query = settings.url().indexOf('?');
                call.setProperty(ENDPOINT, query < 0 ? settings.url() : settings.url().substring(0, query));
                if (query >= 0) {
                    call.getMessage().setHeader(Exchange.HTTP_QUERY, settings.url().substring(query + 1));
                }
                call.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
                call.getMessage().setHeader("Accept", "application/json");
            });
            Duration retryAfter = null;
            Exception error = result.getException();
            if (error != null) {
                if (!(error instanceof IOException) && !(error.getCause() instanceof IOException)) {
                    throw new PullFailed("cannot fetch " + settings.url() + ": " + error, error);
                }
                lastReason = describe(error);
            } else {
                int status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
                if (status >= 200 && status < 300) {
                    return result.getMessage().getBody(String.class);
                }
                lastReason = "HTTP " + status + " from " + settings.url();
                if (status == TOO_MANY_REQUESTS) {
                    retryAfter = retryAfter(result.getMessage().getHeader("Retry-After", String.class));
                    if (retryAfter != null && retryAfter.compareTo(backoff.max()) > 0) {
                        throw new PullFailed(lastReason + ": Retry-After " + retryAfter.toSeconds()
                                + " s is longer than the longest retry delay; the next scheduled run tries again");
                    }
                } else if (status < 500) {
                    throw new PullFailed(lastReason);
                }
            }
            if (attempt < settings.attempts()) {
                Duration delay = backoff.delay(attempt, retryAfter);
                LOG.warn("{} pull attempt {} of {} failed ({}); retrying in {} ms", settings.pipeline(), attempt,
                        settings.attempts(), lastReason, delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
        throw new PullFailed("failed after " + settings.attempts() + " attempts: " + lastReason);
    }

    /** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(Instant.now(), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String describe(Exception error) {
        Throwable t = error instanceof IOException ? error : error.getCause();
        String name = t.getClass().getSimpleName();
        boolean timeout = name.toLowerCase(java.util.Locale.ROOT).contains("timeout");
        return (timeout ? "timeout: " : "") + name + ": " + t.getMessage();
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
            }
        }
        return producer;
    }
}
