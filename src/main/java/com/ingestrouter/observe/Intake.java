package com.ingestrouter.observe;

import com.ingestrouter.rabbit.RabbitBatchEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * First step of every consuming route: keeps the body exactly as received (for the dead-letter
 * envelope) and notes where the message came from.
 */
public final class Intake {

    public void capture(Exchange exchange) {
        Message in = exchange.getMessage();
        Object body = in.getBody();
        String payload = body instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : in.getBody(String.class);
        if (body instanceof byte[] bytes && !ascii(bytes, payload) && !Arrays.equals(bytes, payload.getBytes(StandardCharsets.UTF_8))) {
            // Not UTF-8: the text form replaced some bytes, so the dead letter keeps them in base64 too.
            exchange.setProperty(MessageKeys.PAYLOAD_BASE64, Base64.getEncoder().encodeToString(bytes));
        }
        exchange.setProperty(MessageKeys.PAYLOAD, payload);
        in.setBody(payload);
    }

    /**
     * Every byte decoded to one char and none to U+FFFD: the bytes were ASCII, so the text is exact
     * (the common case, which then skips re-encoding the payload to compare it).
     */
    private static boolean ascii(byte[] bytes, String text) {
        return text.length() == bytes.length && text.indexOf('\uFFFD') < 0;
    }

    /**
     * Where the record came from, for its log line and dead letter. Worked out when first asked (most
     * records never need it) from the broker headers the record keeps; a source that knows better (a
     * pull) sets {@link MessageKeys#SOURCE} itself.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> source(Exchange exchange) {
        Map<String, Object> known = exchange.getProperty(MessageKeys.SOURCE, Map.class);
        if (known != null) {
            return known;
        }
        Map<String, Object> source = fromHeaders(exchange);
        exchange.setProperty(MessageKeys.SOURCE, source);
        return source;
    }

    private static Map<String, Object> fromHeaders(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> source = new LinkedHashMap<>();
        if (in.getHeader(KafkaConstants.TOPIC) != null) {
            source.put("topic", in.getHeader(KafkaConstants.TOPIC));
            source.put("partition", in.getHeader(KafkaConstants.PARTITION));
            source.put("offset", in.getHeader(KafkaConstants.OFFSET));
            // With the offset, tells a record from a later one at the same offset of a re-created topic.
            source.put("timestamp", in.getHeader(KafkaConstants.TIMESTAMP));
            // Kept so a replay can publish under the same key, hence to the same partition.
            if (in.getHeader(KafkaConstants.KEY) != null) {
                source.put("key", in.getHeader(KafkaConstants.KEY, String.class));
            }
        } else if (in.getHeader(SpringRabbitMQConstants.ROUTING_KEY) != null) {
            Object consumed = in.getHeader(RabbitBatchEndpoint.CONSUMER_QUEUE);
            // On the default exchange the routing key is the queue name.
            source.put("queue", consumed != null ? consumed : in.getHeader(SpringRabbitMQConstants.ROUTING_KEY));
            source.put("redelivered", in.getHeader(SpringRabbitMQConstants.REDELIVERED, false, Boolean.class));
        }
        source.put("endpoint", exchange.getFromEndpoint() == null ? null
                : exchange.getFromEndpoint().getEndpointBaseUri());
        return source;
    }
}
