package com.ingestrouter.observe;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * First step of every consuming route: keeps the body exactly as received (for the dead-letter
 * envelope) and notes where the message came from.
 */
public final class Intake {
    private static final String KAFKA_TOPIC = "kafka.TOPIC";
    private static final String KAFKA_PARTITION = "kafka.PARTITION";
    private static final String KAFKA_OFFSET = "kafka.OFFSET";
    private static final String KAFKA_KEY = "kafka.KEY";
    // On the default exchange the routing key is the queue name.
    private static final String RABBIT_ROUTING_KEY = "CamelSpringRabbitmqRoutingKey";
    private static final String RABBIT_REDELIVERED = "CamelSpringRabbitmqRedelivered";

    public void capture(Exchange exchange) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        String payload = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : in.getBody(String.class);
        exchange.setProperty(MessageKeys.PAYLOAD, payload);
        exchange.setProperty(MessageKeys.SOURCE, source(exchange));
        in.setBody(payload);
    }

    static Map<String, Object> source(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> source = new LinkedHashMap<>();
        if (in.getHeader(KAFKA_TOPIC) != null) {
            source.put("topic", in.getHeader(KAFKA_TOPIC));
            source.put("partition", in.getHeader(KAFKA_PARTITION));
            source.put("offset", in.getHeader(KAFKA_OFFSET));
            // Kept so a replay can publish under the same key, hence to the same partition.
            if (in.getHeader(KAFKA_KEY) != null) {
                source.put("key", in.getHeader(KAFKA_KEY, String.class));
            }
        } else if (in.getHeader(RABBIT_ROUTING_KEY) != null) {
            source.put("queue", in.getHeader(RABBIT_ROUTING_KEY));
            source.put("redelivered", in.getHeader(RABBIT_REDELIVERED, false, Boolean.class));
        }
        source.put("endpoint", exchange.getFromEndpoint() == null ? null
                : exchange.getFromEndpoint().getEndpointBaseUri());
        return source;
    }
}
