package com.ingestrouter.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.http.Page;
import com.ingestrouter.http.QueryParams;
import com.ingestrouter.observe.MessageKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator endpoints over the dead-letter store: list, count, purge, and replay to the pipeline's
 * ingress. A replayed entry is removed only after its publish was confirmed, so a crash mid-replay can
 * at worst publish an entry twice (which the pipelines' idempotency absorbs), never lose one.
 */
public final class DeadLetterAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterAdmin.class);
    private static final int MAX_LIMIT = 500;
    private final DeadLetterStore store;
    private final ProducerTemplate producer;
    private final Function<String, Optional<String>> replayUri;
    private final Function<String, Optional<String>> replayIdHeader;
    private final Function<String, Optional<String>> replayKeyHeader;
    private final String adminToken;
    private final ObjectMapper json;

    /**
     * @param replayUri pipeline name to its ingress endpoint ({@code ingest.<pipeline>.replay-uri})
     * @param replayIdHeader pipeline name to the header carrying the entry's id ({@code ingest.<pipeline>.replay-id-header})
     * @param replayKeyHeader pipeline name to the header carrying the source's key ({@code ingest.<pipeline>.replay-key-header})
     * @param adminToken required bearer token; blank disables the endpoints
     */
    public DeadLetterAdmin(DeadLetterStore store, ProducerTemplate producer, Function<String, Optional<String>> replayUri,
            Function<String, Optional<String>> replayIdHeader, Function<String, Optional<String>> replayKeyHeader,
            String adminToken, ObjectMapper json) {
        this.store = store;
        this.producer = producer;
        this.replayUri = replayUri;
        this.replayIdHeader = replayIdHeader;
        this.replayKeyHeader = replayKeyHeader;
        this.adminToken = adminToken == null ? "" : adminToken.trim();
        this.json = json;
    }

    /** Throws AdminAccessDenied unless the request carries the configured bearer token. */
    public void authorize(Exchange exchange) {
        if (adminToken.isEmpty()) {
            throw new AdminAccessDenied(403, "dead-letter admin endpoints are disabled: set INGEST_ADMIN_TOKEN");
        }
        String header = exchange.getMessage().getHeader("Authorization", "", String.class);
        byte[] given = header.startsWith("Bearer ") ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, adminToken.getBytes(StandardCharsets.UTF_8))) {
            throw new AdminAccessDenied(401, "missing or wrong bearer token");
        }
    }

    public Map<String, Object> counts() {
        return Map.of("pipelines", store.counts());
    }

    public Map<String, Object> list(@Header("pipeline") String pipeline, Exchange exchange) {
        Page page = Page.of(exchange, 50, MAX_LIMIT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline", pipeline);
        body.putAll(page.answer("entries", store.list(pipeline, page.offset(), page.limit()), store.count(pipeline)));
        return body;
    }

    public Map<String, Object> purge(@Header("pipeline") String pipeline) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipeline", pipeline);
        body.put("purged", store.purge(pipeline));
        return body;
    }

    /**
     * Re-publishes the oldest {@code count} entries (default all), or the entries whose ids the body
     * lists, to the pipeline's ingress, carrying the attempts made so far.
     */
    public Map<String, Object> replay(@Header("pipeline") String pipeline, @Body String body, Exchange request) {
        String uri = replayUri.apply(pipeline).orElseThrow(() ->
                new InvalidMessageException("pipeline", "pipeline '" + pipeline + "' cannot be replayed"));
        Set<String> ids = ids(body);
        int max = QueryParams.integer(request, "count", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        List<DeadLetter> chosen = new ArrayList<>();
        for (DeadLetter letter : store.list(pipeline, 0, Integer.MAX_VALUE - 1)) {
            if ((ids.isEmpty() || ids.contains(letter.id())) && chosen.size() < max) {
                chosen.add(letter);
            }
        }
        // A pipeline whose id travels beside the body (logs: the AMQP message id) names that header.
        Optional<String> idHeader = replayIdHeader.apply(pipeline);
        // A Kafka pipeline names its key header: the replay keeps the record's key, hence its partition.
        Optional<String> keyHeader = replayKeyHeader.apply(pipeline);
        int replayed = 0;
        int failed = 0;
        for (DeadLetter letter : chosen) {
            try {
                Exchange sent = producer.send(uri, exchange -> {
                    exchange.setPattern(ExchangePattern.InOnly);
                    exchange.getMessage().setBody(letter.payloadBase64() == null ? letter.payload() : letter.payloadBytes());
                    exchange.getMessage().setHeader(MessageKeys.PRIOR_ATTEMPTS_HEADER, Integer.toString(letter.attempts()));
                    if (letter.eventId() != null) {
                        // A partitioned queue routes by it, as it routed the first publish.
                        exchange.setProperty(MessageKeys.EVENT_ID, letter.eventId());
                        idHeader.ifPresent(header -> exchange.getMessage().setHeader(header, letter.eventId()));
                    }
                    Object key = letter.source() == null ? null : letter.source().get("key");
                    if (key != null) {
                        keyHeader.ifPresent(header -> exchange.getMessage().setHeader(header, key.toString()));
                    }
                });
                if (sent.getException() != null) {
                    throw sent.getException();
                }
                store.remove(pipeline, letter.id());
                replayed++;
            } catch (Exception e) {
                LOG.warn("replay of dead letter {} ({}) failed, entry kept: {}", letter.id(), pipeline, e.getMessage());
                failed++;
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pipeline", pipeline);
        answer.put("replayed", replayed);
        answer.put("failed", failed);
        return answer;
    }

    private Set<String> ids(String body) {
        if (body == null || body.isBlank()) {
            return Set.of();
        }
        try {
            JsonNode node = json.readTree(body);
            JsonNode list = node.isObject() ? node.get("ids") : node;
            if (list == null || !list.isArray()) {
                throw new InvalidMessageException("ids", "body must be a JSON array of entry ids or {\"ids\": [...]}");
            }
            Set<String> ids = new java.util.LinkedHashSet<>();
            list.forEach(id -> ids.add(id.asText()));
            return ids;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidMessageException(null, "invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** 401/403 from the admin endpoints. */
    public static final class AdminAccessDenied extends RuntimeException {
        private final int status;

        public AdminAccessDenied(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
