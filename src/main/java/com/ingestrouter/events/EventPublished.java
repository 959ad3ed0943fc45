package com.ingestrouter.events;

import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.observe.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * POST /produce answers 202 once the broker acknowledged the record (acks=all). Both steps are
 * Processors the route calls directly: the bean component's method binding and simple's accessor calls
 * by reflection were a quarter of a request's CPU.
 */
public final class EventPublished implements Processor {
    /** The value to publish: the parsed event (property {@code event}) as its canonical JSON. */
    public static final Processor RECORD = exchange -> exchange.getMessage().setBody(
            exchange.getProperty("event", Event.class).json());

    private final Metrics metrics;
    private final HttpErrors http;
    private final String topic;

    public EventPublished(Metrics metrics, HttpErrors http, String topic) {
        this.metrics = metrics;
        this.http = http;
        this.topic = topic;
    }

    @Override
    public void process(Exchange exchange) {
        Event event = exchange.getProperty("event", Event.class);
        metrics.produced(event.type().name());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", event.eventId());
        body.put("topic", topic);
        Object meta = exchange.getMessage().getHeader(KafkaConstants.KAFKA_RECORD_META);
        RecordMetadata record = meta instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof RecordMetadata r
                ? r : null;
        // Embedded mode publishes to an in-JVM queue: there is no partition or offset to report.
        body.put("partition", record == null ? null : record.partition());
        body.put("offset", record == null ? null : record.offset());
        exchange.getMessage().removeHeaders("*");
        http.answer(exchange, 202, body);
    }
}
