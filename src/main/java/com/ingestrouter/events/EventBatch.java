package com.ingestrouter.events;

import com.ingestrouter.batch.BatchRecords;
import com.ingestrouter.errors.InfrastructureUnavailable;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.ProcessedMessages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch steps of route events.consume (validate, then dedupe and write). Its source, ingest-topic,
 * hands over one exchange per poll batch whose body is the list of record exchanges (embedded: one
 * record), and commits the offsets after the route.
 *
 * <ol>
 *   <li>Every record is captured (payload kept byte for byte, topic/partition/offset noted) and
 *       validated; the valid ones are applied set-wise in one transaction by {@link EventStore}.</li>
 *   <li>If that transaction fails (a refused row, a missing parent, the database down) nothing of it
 *       was written: each record is then tried on its own, parents first, and the ones that fail go
 *       through the per-record route {@code events.record}, which carries the shared
 *       {@code dead-letter} error policy. So only the bad records are dead-lettered, by the one
 *       DeadLetterWriter; missing parents wait out the retry window; infrastructure errors are retried
 *       until the dependency is back.</li>
 *   <li>Invalid records go through the same per-record route and are dead-lettered there.</li>
 *   <li>Only then does the source commit the offsets, per partition, up to the batch's last record. A
 *       crash before that replays the batch, and the idempotency check makes the replay harmless.</li>
 * </ol>
 */
public final class EventBatch {
    private static final Logger LOG = LoggerFactory.getLogger(EventBatch.class);
    static final String PIPELINE = "events";
    static final String RECORD_ROUTE = "direct:events-record";
    private static final String VALID = "eventsValid";
    private static final String EVENTS = "eventsParsed";
    private static final String INVALID = "eventsInvalid";

    private final EventParser parser;
    private final EventStore store;
    private final Intake intake;
    private final ProcessedMessages processed;
    private final BatchRecords batches;

    public EventBatch(EventParser parser, EventStore store, Intake intake, ProcessedMessages processed,
            BatchRecords batches) {
        this.parser = parser;
        this.store = store;
        this.intake = intake;
        this.processed = processed;
        this.batches = batches;
    }

    /**
     * Step 1 of events.consume: every record is captured (payload kept byte for byte, topic/partition/
     * offset noted) and validated; the valid ones and the invalid ones are kept apart for the next step.
     */
    public void validate(Exchange exchange) {
        List<Exchange> valid = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        List<Exchange> invalid = new ArrayList<>();
        for (Exchange record : BatchRecords.of(exchange)) {
            record.setProperty(MessageKeys.PIPELINE, PIPELINE);
            intake.capture(record);
            try {
                events.add(parser.parse(record));
                valid.add(record);
            } catch (RuntimeException e) {
                // Any parse failure, not only an invalid message: left on the batch it would stop the
                // partition (re-read forever); alone through events.record it meets the dead-letter policy.
                invalid.add(record);
            }
        }
        exchange.setProperty(VALID, valid);
        exchange.setProperty(EVENTS, events);
        exchange.setProperty(INVALID, invalid);
    }

    /**
     * Step 2: dedupe and write in one transaction (the rows carry their event id and content hash, the
     * idempotency check; EventStore), then the invalid records go to their dead letters. The source
     * (ingest-topic) commits the offsets once this route has returned.
     */
    @SuppressWarnings("unchecked")
    public void write(Exchange exchange) throws Exception {
        List<Exchange> valid = exchange.getProperty(VALID, List.class);
        List<Event> events = exchange.getProperty(EVENTS, List.class);
        if (!events.isEmpty()) {
            try {
                List<Outcome> outcomes = store.apply(events);
                for (int i = 0; i < valid.size(); i++) {
                    valid.get(i).setProperty(MessageKeys.OUTCOME, outcomes.get(i).name());
                    processed.record(valid.get(i));
                }
            } catch (RuntimeException e) {
                LOG.info("Batch of {} events failed as a whole ({}); applying them one by one",
                        events.size(), e.getMessage());
                oneByOne(valid);
            }
        }
        batches.throughRoute(RECORD_ROUTE, exchange.getProperty(INVALID, List.class));
    }

    /**
     * The per-record route's step: validate and apply one event in its own transaction, then count and
     * log its outcome. Failures are left to the route's error policy. (Called from Java rather than as a
     * route step: Camel's bean binding may pick ProcessedMessages' three-argument overload and bind the
     * body as the outcome.)
     */
    public void applyRecord(Exchange record) {
        Event event = parser.parse(record);
        record.setProperty(MessageKeys.OUTCOME, store.applyOne(event));
        processed.record(record);
    }

    /**
     * After a failed batch: each record is tried once on its own (parents first), so the good ones do
     * not wait behind a bad one; the records that fail, and any later record with the same key (to keep
     * a key's order), then go through events.record and its error policy. A dependency outage stops
     * the direct pass at once: everything left goes to the route, which waits for the dependency.
     */
    private void oneByOne(List<Exchange> records) throws Exception {
        Set<String> heldKeys = new HashSet<>();
        List<Exchange> held = new ArrayList<>();
        boolean outage = false;
        for (Exchange record : parentsFirst(records)) {
            String key = record.getProperty(MessageKeys.KEY, String.class);
            if (outage || (key != null && heldKeys.contains(key))) {
                held.add(record);
                continue;
            }
            try {
                record.setProperty(MessageKeys.OUTCOME, store.applyOne(parser.parse(record)));
                processed.record(record);
            } catch (RuntimeException e) {
                outage = e instanceof InfrastructureUnavailable;
                held.add(record);
                if (key != null) {
                    heldKeys.add(key);
                }
            }
        }
        batches.throughRoute(RECORD_ROUTE, held);
    }

    /** Users before orders before payments: a parent in the same batch is written before its child. */
    static List<Exchange> parentsFirst(List<Exchange> records) {
        List<Exchange> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(r -> rank(r.getProperty(MessageKeys.TYPE, String.class))));
        return sorted;
    }

    private static int rank(String type) {
        if (type == null) {
            return 9;
        }
        return switch (type) {
            case "UserCreated" -> 0;
            case "OrderPlaced" -> 1;
            case "PaymentSettled" -> 2;
            default -> 3;
        };
    }
}
