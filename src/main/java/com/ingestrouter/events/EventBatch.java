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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's batch step (route events.consume). Kafka hands over one exchange per poll batch whose
 * body is the list of record exchanges; an in-JVM queue (embedded mode) hands over one record.
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
 *   <li>Only then are the offsets committed, per partition, up to the batch's last record. A crash
 *       before that replays the batch, and the idempotency ledger makes the replay harmless.</li>
 * </ol>
 */
public final class EventBatch {
    private static final Logger LOG = LoggerFactory.getLogger(EventBatch.class);
    static final String PIPELINE = "events";
    static final String RECORD_ROUTE = "direct:events-record";

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

    public void process(Exchange exchange) throws Exception {
        List<Exchange> records = BatchRecords.of(exchange);
        List<Exchange> valid = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        List<Exchange> invalid = new ArrayList<>();
        for (Exchange record : records) {
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
        batches.throughRoute(RECORD_ROUTE, invalid);
        commit(records);
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

    /** Commits, for each partition in the batch, the offset after its last record. */
    private static void commit(List<Exchange> records) {
        Map<Integer, KafkaManualCommit> last = new LinkedHashMap<>();
        for (Exchange record : records) {
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            Integer partition = record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class);
            if (commit != null && partition != null) {
                last.put(partition, commit);
            }
        }
        last.values().forEach(KafkaManualCommit::commit);
    }
}
