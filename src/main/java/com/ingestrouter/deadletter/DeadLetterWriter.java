package com.ingestrouter.deadletter;

import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.errors.RetryWindow;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.observe.ProcessedMessages;
import com.ingestrouter.observe.Redaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one dead-letter writer, called by the shared error handler (routes/common/errors.camel.yaml).
 * It returns only once the envelope is stored: the caller acks or commits the message after that, so
 * an unreachable store blocks (with backoff) instead of losing the message.
 */
public final class DeadLetterWriter implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    private final DeadLetterStore store;
    private final Metrics metrics;
    private final ProcessedMessages processed;
    private final long initialDelayMs;
    private final long maxDelayMs;

    public DeadLetterWriter(DeadLetterStore store, Metrics metrics, ProcessedMessages processed,
            long initialDelayMs, long maxDelayMs) {
        this.store = store;
        this.metrics = metrics;
        this.processed = processed;
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        DeadLetter letter = envelope(exchange, cause);
        if (appendUntilStored(exchange, letter)) {
            metrics.deadLettered(letter.pipeline());
        } else {
            LOG.info("{} record at {} was dead-lettered before (re-read after a rebalance or restart); not stored twice",
                    letter.pipeline(), letter.position());
        }
        exchange.setProperty(MessageKeys.OUTCOME, "dead_lettered");
        processed.recordOutcome(exchange, "dead_lettered", Map.copyOf(letter.error()));
    }

    static DeadLetter envelope(Exchange exchange, Throwable cause) {
        String pipeline = exchange.getProperty(MessageKeys.PIPELINE, "unknown", String.class);
        String payload = exchange.getProperty(MessageKeys.PAYLOAD, String.class);
        if (payload == null) {
            payload = exchange.getMessage().getBody(String.class);
        }
        Map<String, Object> source = Intake.source(exchange);
        int redeliveries = count(exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER));
        // The retry window counts failures itself (the last one included, hence the -1).
        int windowRetries = exchange.getProperty(RetryWindow.FAILED_ATTEMPTS, 0, Integer.class) - 1;
        int prior = count(exchange.getMessage().getHeader(MessageKeys.PRIOR_ATTEMPTS_HEADER));
        return new DeadLetter(
                UUID.randomUUID().toString(),
                exchange.getProperty(MessageKeys.EVENT_ID, String.class),
                pipeline,
                source,
                payload,
                error(cause),
                prior + Math.max(redeliveries, windowRetries) + 1,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                exchange.getFromRouteId(),
                exchange.getProperty(MessageKeys.PAYLOAD_BASE64, String.class));
    }

    /**
     * A count from a header, which whoever published the message may have set to anything (Kafka hands
     * it over as bytes): a value that is not a small non-negative number counts as 0. Throwing here
     * would leave the message neither stored nor dead-lettered, so redelivered forever.
     */
    static int count(Object header) {
        String text = header instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : header == null ? null : header.toString();
        if (text == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(Integer.parseInt(text.trim()), 1_000_000));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Map<String, String> error(Throwable cause) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("type", cause == null ? "Unknown" : cause.getClass().getSimpleName());
        error.put("message", cause == null ? "no exception recorded" : Redaction.redact(String.valueOf(cause.getMessage())));
        if (cause instanceof InvalidMessageException invalid && invalid.field() != null) {
            error.put("field", invalid.field());
        }
        return error;
    }

    /** True when stored, false when the store already held a letter for its position. */
    private boolean appendUntilStored(Exchange exchange, DeadLetter letter) throws InterruptedException {
        long delay = initialDelayMs;
        while (true) {
            try {
                return store.append(letter);
            } catch (RuntimeException e) {
                if (exchange.getContext().isStopping() || exchange.getContext().isStopped()) {
                    throw new InfrastructureUnavailable("dead-letter store (" + store.name() + ")", e);
                }
                LOG.warn("Dead-letter store ({}) unreachable, message held unacked, retrying in {} ms: {}",
                        store.name(), delay, e.getMessage());
                Thread.sleep(delay);
                delay = Math.min(delay * 2, maxDelayMs);
            }
        }
    }
}
