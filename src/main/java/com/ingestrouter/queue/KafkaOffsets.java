package com.ingestrouter.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/** Commits a consumed Kafka batch: for each partition in it, the offset after its last record. */
public final class KafkaOffsets {
    private KafkaOffsets() {
    }

    public static void commit(List<Exchange> records) {
        Map<Integer, KafkaManualCommit> last = new LinkedHashMap<>();
        // From the end: a partition's last record is the first one seen, and only then is its commit read
        // (a header lookup per record, each a case-insensitive map's, was 4.5% of a users drain's consumers).
        for (int i = records.size() - 1; i >= 0; i--) {
            Message message = records.get(i).getMessage();
            if (message.getHeader(KafkaConstants.PARTITION) instanceof Integer partition && !last.containsKey(partition)
                    && message.getHeader(KafkaConstants.MANUAL_COMMIT) instanceof KafkaManualCommit commit) {
                last.put(partition, commit);
            }
        }
        last.values().forEach(KafkaManualCommit::commit);
    }
}
