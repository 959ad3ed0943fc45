package com.ingestrouter.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.batch.BatchRecords;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.validation.JsonValidator;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * What the blocks of a consuming pipeline share about its records. A source block marks the exchange
 * as consumed ({@link #CONSUMING}) and names the pipeline; the first block to look at the records
 * captures each one once (payload as received, for its dead letter) and the list is kept on the
 * exchange, so every later block sees the same record exchanges and the verdicts earlier blocks left.
 */
public final class PipelineRecords {
    /** Set by source blocks: records are judged one by one, never thrown out of the batch. */
    public static final String CONSUMING = "ingestConsuming";
    /** The pipeline's consuming route (kamelet routes in between have ids of their own). */
    public static final String ROUTE = "ingestRoute";
    /** The parsed record, once a block parsed it. */
    public static final String JSON = "ingestRecordJson";
    /** Why the record cannot be written (an InvalidMessageException); it goes to the dead-letter route. */
    public static final String INVALID = "ingestRecordInvalid";
    private static final String RECORDS = "ingestRecords";

    private PipelineRecords() {
    }

    @SuppressWarnings("unchecked")
    public static List<Exchange> of(Exchange exchange, Intake intake) {
        List<Exchange> records = exchange.getProperty(RECORDS, List.class);
        if (records != null) {
            return records;
        }
        records = BatchRecords.of(exchange);
        String pipeline = exchange.getProperty(MessageKeys.PIPELINE, String.class);
        String type = exchange.getProperty(MessageKeys.TYPE, String.class);
        if (type == null || type.isBlank()) {
            type = pipeline;
        }
        for (Exchange record : records) {
            record.setProperty(MessageKeys.PIPELINE, pipeline);
            record.setProperty(MessageKeys.TYPE, type);
            intake.capture(record);
        }
        exchange.setProperty(RECORDS, records);
        return records;
    }

    /** A source that made its records itself (a pull's items) hands them to the blocks as one batch. */
    public static void batch(Exchange exchange, List<Exchange> records) {
        exchange.setProperty(RECORDS, records);
        exchange.setProperty(CONSUMING, true);
        exchange.getMessage().setBody(records);
    }

    /** The records of a batch, as the blocks left them (outcome set on each). */
    @SuppressWarnings("unchecked")
    public static List<Exchange> records(Exchange exchange) {
        List<Exchange> records = exchange.getProperty(RECORDS, List.class);
        return records == null ? List.of() : records;
    }

    /**
     * The record parsed as a JSON object, or the reason it is not one (kept on the record).
     *
     * @param maxBytes the record's size limit; 0 for the application's
     */
    static JsonNode parsed(Exchange record, JsonValidator validator, long maxBytes) {
        JsonNode node = record.getProperty(JSON, JsonNode.class);
        if (node == null && record.getProperty(INVALID) == null) {
            try {
                // From the record, not its text: bytes that were not UTF-8 are refused (see Intake).
                node = validator.parseObject(record, maxBytes);
                record.setProperty(JSON, node);
            } catch (InvalidMessageException e) {
                record.setProperty(INVALID, e);
            }
        }
        return node;
    }

    static boolean invalid(Exchange record) {
        return record.getProperty(INVALID) != null;
    }

    public static boolean consuming(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(CONSUMING, Boolean.class));
    }
}
