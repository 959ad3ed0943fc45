package com.ingestrouter.deadletter;

import com.ingestrouter.batch.LaterAck;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one dead-letter writer, called by the shared error handler (routes/common-errors.camel.yaml).
 * It returns only once the envelope is stored: the caller acks or commits the message after that, so
 * an unreachable store blocks (with backoff) instead of losing the message.
 *
 * <p>A record its source can ack on its own ({@link LaterAck}: a RabbitMQ delivery) is not waited for:
 * when the store is unreachable, or letters are already waiting for it, the record is held back unacked
 * and its letter queued here; the rest of its batch is acked and the queue keeps flowing. One thread
 * stores the queued letters in order once the store is back, then acks each record. If the app stops
 * first, the held records were never acked and the broker redelivers them.
 */
public final class DeadLetterWriter implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);
    private final DeadLetterStore store;
    private final Metrics metrics;
    private final ProcessedMessages processed;
    private final long initialDelayMs;
    private final long maxDelayMs;
    /** Letters of held records, waiting for the store; bounded by the queues' prefetch (the broker's unacked limit). */
    private final LinkedBlockingQueue<Held> held = new LinkedBlockingQueue<>();
    /** Held letters not stored yet, the one being tried included. */
    private final AtomicInteger waiting = new AtomicInteger();
    private Thread heldWriter;

    private record Held(Exchange record, DeadLetter letter, LaterAck ack) {
    }

    public DeadLetterWriter(DeadLetterStore store, Metrics metrics, ProcessedMessages processed,
            long initialDelayMs, long maxDelayMs) {
        this.store = store;
        this.metrics = metrics;
        this.processed = processed;
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
        metrics.heldForDeadLetter(this::held);
    }

    /** Messages held unacked now, their letters not stored yet. */
    public int held() {
        return waiting.get();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        DeadLetter letter = envelope(exchange, cause);
        LaterAck later = exchange.getProperty(LaterAck.PROPERTY, LaterAck.class);
        if (later == null) {
            stored(exchange, letter, appendUntilStored(exchange.getContext(), letter));
            return;
        }
        // Behind the letters already waiting, so they are stored in the order they failed.
        if (waiting.get() == 0 && appendOnce(letter, exchange)) {
            return;
        }
        later.hold();
        exchange.setProperty(MessageKeys.OUTCOME, "dead_letter_held");
        waiting.incrementAndGet();
        held.add(new Held(exchange, letter, later));
        startHeldWriter(exchange.getContext());
    }

    /** One attempt; true once the letter is stored (or was before). */
    private boolean appendOnce(DeadLetter letter, Exchange exchange) {
        try {
            stored(exchange, letter, store.append(letter));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Dead-letter store ({}) unreachable: {} message held unacked, the queue goes on; retrying: {}",
                    store.name(), letter.pipeline(), e.getMessage());
            return false;
        }
    }

    private void stored(Exchange exchange, DeadLetter letter, boolean appended) {
        if (appended) {
            metrics.deadLettered(letter.pipeline());
        } else {
            LOG.info("{} record at {} was dead-lettered before (re-read after a rebalance or restart); not stored twice",
                    letter.pipeline(), letter.position() == null ? "its queue" : letter.position());
        }
        exchange.setProperty(MessageKeys.OUTCOME, "dead_lettered");
        processed.recordOutcome(exchange, "dead_lettered", Map.copyOf(letter.error()));
    }

    private synchronized void startHeldWriter(CamelContext context) {
        if (heldWriter != null) {
            return;
        }
        heldWriter = new Thread(() -> writeHeld(context), "dead-letter-held-writer");
        heldWriter.setDaemon(true);
        heldWriter.start();
    }

    /** Stores the held letters oldest first, each with backoff until the store answers, then acks its record. */
    private void writeHeld(CamelContext context) {
        try {
            while (true) {
                Held next = held.take();
                try {
                    stored(next.record(), next.letter(), appendUntilStored(context, next.letter()));
                } catch (InfrastructureUnavailable stopping) {
                    java.util.List<Held> left = new java.util.ArrayList<>();
                    held.drainTo(left);
                    waiting.addAndGet(-left.size() - 1);
                    LOG.warn("Stopping with {} held message(s) whose dead letter is not stored; unacked, the broker "
                            + "redelivers them", left.size() + 1);
                    return;
                }
                next.ack().ack();
                waiting.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                heldWriter = null;
            }
        }
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

    /**
     * True when stored, false when the store already held a letter for its position. Retries with backoff
     * while the store is unreachable; once the app is stopping, gives up with InfrastructureUnavailable (the
     * message was not acked, so the broker or the log gives it again).
     */
    private boolean appendUntilStored(CamelContext context, DeadLetter letter) throws InterruptedException {
        long delay = initialDelayMs;
        while (true) {
            try {
                return store.append(letter);
            } catch (RuntimeException e) {
                if (context.isStopping() || context.isStopped()) {
                    throw new InfrastructureUnavailable("dead-letter store (" + store.name() + ")", e);
                }
                LOG.warn("Dead-letter store ({}) unreachable, {} message held unacked, retrying in {} ms: {}",
                        store.name(), letter.pipeline(), delay, e.getMessage());
                Thread.sleep(delay);
                delay = Math.min(delay * 2, maxDelayMs);
            }
        }
    }
}
