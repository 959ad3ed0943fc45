package com.ingestrouter.batch;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * What the batch steps of the consuming routes share. A batching source (camel-kafka with
 * {@code batching=true}, {@code rabbitmq-batch}) hands over one exchange whose body is the list of
 * record exchanges; an in-JVM queue (embedded mode) hands over one record.
 */
public final class BatchRecords {
    private final ProducerTemplate template;

    public BatchRecords(ProducerTemplate template) {
        this.template = template;
    }

    @SuppressWarnings("unchecked")
    public static List<Exchange> of(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof Exchange)) {
            return (List<Exchange>) list;
        }
        // One record per exchange: a copy is routed so the queue's own exchange stays as is.
        return List.of(exchange.copy());
    }

    /**
     * Sends each record through a per-record route, which carries the shared dead-letter policy. An error
     * left on a record (only while stopping, or a dependency outage outlasting the route's retries) fails
     * the whole batch, so the source redelivers it instead of acking records that were never written.
     */
    public void throughRoute(String uri, List<Exchange> records) throws Exception {
        for (Exchange record : records) {
            template.send(uri, record);
            if (record.getException() != null) {
                throw record.getException();
            }
        }
    }
}
