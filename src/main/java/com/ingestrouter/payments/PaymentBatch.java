package com.ingestrouter.payments;

import com.ingestrouter.batch.BatchRecords;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.observe.ProcessedMessages;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's batch step (route payments.consume): every message is captured and validated, the
 * valid ones are written set-wise in one transaction ({@link PaymentStore#storeBatch}). If that
 * transaction fails, nothing of it was written, and each message goes on its own through
 * payments.record, under the shared dead-letter policy: only a bad message is dead-lettered, and a
 * database outage is retried until it ends. Invalid messages take the same route and are
 * dead-lettered there. The source acks the batch after this step returns.
 */
public final class PaymentBatch {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentBatch.class);
    static final String PIPELINE = "payments";
    static final String TYPE = "payment";
    static final String RECORD_ROUTE = "direct:payments-record";

    private final PaymentParser parser;
    private final PaymentStore store;
    private final Intake intake;
    private final ProcessedMessages processed;
    private final BatchRecords batches;

    public PaymentBatch(PaymentParser parser, PaymentStore store, Intake intake, ProcessedMessages processed,
            BatchRecords batches) {
        this.parser = parser;
        this.store = store;
        this.intake = intake;
        this.processed = processed;
        this.batches = batches;
    }

    public void process(Exchange exchange) throws Exception {
        List<Exchange> valid = new ArrayList<>();
        List<PaymentStore.Write> writes = new ArrayList<>();
        List<Exchange> others = new ArrayList<>();
        for (Exchange record : BatchRecords.of(exchange)) {
            record.setProperty(MessageKeys.PIPELINE, PIPELINE);
            record.setProperty(MessageKeys.TYPE, TYPE);
            intake.capture(record);
            try {
                writes.add(PaymentStore.write(parser.parse(record), record));
                valid.add(record);
            } catch (InvalidMessageException e) {
                others.add(record);
            }
        }
        if (!writes.isEmpty()) {
            try {
                List<String> outcomes = store.storeBatch(writes);
                for (int i = 0; i < valid.size(); i++) {
                    valid.get(i).setProperty(MessageKeys.OUTCOME, outcomes.get(i));
                    processed.record(valid.get(i));
                }
            } catch (RuntimeException e) {
                LOG.info("Batch of {} payments failed as a whole ({}); writing them one by one", writes.size(), e.getMessage());
                others.addAll(0, valid);
            }
        }
        batches.throughRoute(RECORD_ROUTE, others);
    }
}
