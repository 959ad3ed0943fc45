package com.ingestrouter.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/** Commits a consumed Kafka batch: for each partition in it, the offset after its last record. */
public final class KafkaOffsets {
    private KafkaOffsets() {
    }

    public static void commit(List<Exchange> records) {
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
