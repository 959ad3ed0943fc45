package com.ingestrouter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.deadletter.DeadLetterAdmin;
import com.ingestrouter.errors.Causes;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of HTTP answers: the JSON error bodies (of a route's exception, through
 * routes/common-errors.camel.yaml; of the server's own refusals, through {@link ServerErrors}; of the
 * REST DSL's request validation, through {@link JsonRequestValidator}) and {@link #answer}, which every
 * bean that answers JSON goes through.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
    /**
     * Seconds a client is asked to wait after a 503 or 429 (Retry-After). Outages the app rides out
     * (a broker restart, a full in-JVM queue) last seconds; clients that retry at once would only add load.
     */
    static final int RETRY_AFTER_SECONDS = 5;
    private final ObjectMapper json;

    public HttpErrors(ObjectMapper json) {
        this.json = json;
    }

    /** 400 {"error": ..., "field": ...}: nothing was published or stored. */
    public void badRequest(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", cause == null ? "bad request" : Redaction.redact(cause.getMessage()));
        if (cause instanceof InvalidMessageException invalid && invalid.field() != null) {
            body.put("field", invalid.field());
        }
        answer(exchange, 400, body);
    }

    /** 404 {"error": ...}: the requested record does not exist. */
    public void notFound(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        answer(exchange, 404, Map.of("error", cause == null ? "not found" : Redaction.redact(cause.getMessage())));
    }

    /** The text of a 405 (answered by {@link ServerErrors}, with the Allow header). */
    public static String methodNotAllowed(String method, String allowed) {
        return "method " + method + " not allowed" + (allowed.isEmpty() ? "" : "; use " + allowed);
    }

    /** 415: the REST DSL's {@code consumes} refused the request's Content-Type. */
    public String unsupportedMediaType(Exchange exchange, String contentType, String consumes) {
        return answer(exchange, 415, Map.of("error", "Content-Type must be " + consumes + ", not " + contentType));
    }

    /** 401/403 from the admin endpoints. */
    public void denied(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = cause instanceof DeadLetterAdmin.AdminAccessDenied denied ? denied.status() : 403;
        if (status == 401) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        }
        answer(exchange, status, Map.of("error", cause == null ? "forbidden" : Redaction.redact(cause.getMessage())));
    }

    /** 503: a broker or the database is unreachable, or the in-JVM queue is full; the client should retry. */
    public void unavailable(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.warn("503 on {}: {}", exchange.getFromRouteId(), cause == null ? "" : cause.toString());
        answer(exchange, 503, Map.of("error", "service unavailable: " + (cause == null ? "" : rootMessage(Causes.root(cause)))));
    }

    /** 500 for anything unexpected; the details go to the log, not to the client. */
    public void internal(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("500 on {}", exchange.getFromRouteId(), cause);
        answer(exchange, 500, Map.of("error", "internal error"));
    }

    /**
     * Answers {@code body} as JSON with {@code status}; returns the JSON text. Every answer of the public
     * port goes through here, so every 503 and 429 carries Retry-After.
     */
    public String answer(Exchange exchange, int status, Object body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (status == 503 || status == 429) {
            exchange.getMessage().setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        String text = json(body);
        exchange.getMessage().setBody(text);
        return text;
    }

    /** {@code {"error": message}}. */
    public String errorBody(String message) {
        return json(Map.of("error", message));
    }

    private String json(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A driver's message can echo the user or URL it was given ("Access denied for user ..."). */
    private static String rootMessage(Throwable root) {
        return root.getMessage() == null ? root.getClass().getSimpleName() : Redaction.redact(root.getMessage());
    }
}
