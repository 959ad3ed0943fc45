package com.ingestrouter.sink;

import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.MessageKeys;
import org.apache.camel.Exchange;

/**
 * The step of {@code direct:ingest-record} (routes/ingest-record.camel.yaml): one record of a
 * pipeline, under the shared dead-letter policy. An invalid record throws its reason (dead letter at
 * once); a valid one is written on its own by the sink it came from.
 */
public final class RecordStep {

    public void write(Exchange record) {
        InvalidMessageException invalid = record.getProperty(PipelineRecords.INVALID, InvalidMessageException.class);
        if (invalid != null) {
            throw invalid;
        }
        SqlSink sink = record.getProperty(SqlSink.SINK, SqlSink.class);
        record.setProperty(MessageKeys.OUTCOME, sink.writeOne(record));
    }
}
