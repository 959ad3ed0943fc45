package com.ingestrouter.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.validation.JsonValidator;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * The logs message contract. A record is any JSON object; its id is made at the HTTP edge and travels
 * as the AMQP message id (the same header rides the in-JVM queue in embedded mode), so the worker
 * stores under the id the client was given and a redelivery finds its row already there.
 */
public final class LogRecords {
    /** Mapped to the AMQP {@code message-id} property by camel-spring-rabbitmq, both ways. */
    public static final String ID_HEADER = SpringRabbitMQConstants.MESSAGE_ID;
    /** Exchange property holding the id for the 202 answer. */
    public static final String ID_PROPERTY = "logId";
    static final int MAX_LEVEL_LENGTH = 64;

    private final JsonValidator validator;

    /** @param validator a validator whose size limit is the log record limit */
    public LogRecords(JsonValidator validator) {
        this.validator = validator;
    }

    /** HTTP edge: checks the body is a JSON object within the limit and gives it an id. */
    public void accept(Exchange exchange) {
        validator.parseObject(exchange.getMessage().getBody(String.class));
        String id = UUID.randomUUID().toString();
        exchange.getMessage().setHeader(ID_HEADER, id);
        exchange.setProperty(ID_PROPERTY, id);
    }

    /** Worker: the record's id from the message, or a dead letter naming the missing field. */
    public UUID id(Exchange exchange) {
        String value = exchange.getMessage().getHeader(ID_HEADER, String.class);
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException("id", "message has no log id (AMQP message-id); publish through POST /log");
        }
        try {
            UUID id = UUID.fromString(value.trim());
            exchange.setProperty(MessageKeys.EVENT_ID, id.toString());
            return id;
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("id", "log id is not a UUID: " + value);
        }
    }

    /** Worker: parses the record (same rules as the edge). */
    public JsonNode parse(String body) {
        return validator.parseObject(body);
    }

    /**
     * The record's {@code level} when it is a string, number or boolean, lower-cased so filters match
     * "ERROR" and "error" alike; null otherwise. An over-long level is kept as is: the database refuses
     * it and the record is dead-lettered, not silently cut.
     */
    public static String level(JsonNode record) {
        JsonNode level = record.get("level");
        if (level == null || !level.isValueNode() || level.isNull()) {
            return null;
        }
        return level.asText().toLowerCase(Locale.ROOT);
    }
}
