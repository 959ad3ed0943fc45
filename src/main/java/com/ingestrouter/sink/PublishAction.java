package com.ingestrouter.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.observe.MessageKeys;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * The answer of the HTTP publish block ({@code kamelets/ingest-queue-publish-action.kamelet.yaml}) once
 * the broker confirmed: 202 with the record's id field, as the record has it ({@code {"orderId":"O-1"}}).
 */
public final class PublishAction {
    private final HttpErrors http;

    public PublishAction(HttpErrors http) {
        this.http = http;
    }

    /** With assignId, the record's new id rides as the AMQP message id (mapped by camel-spring-rabbitmq). */
    public void assignId(Exchange exchange, boolean assign) {
        if (assign) {
            String id = UUID.randomUUID().toString();
            exchange.getMessage().setHeader(SpringRabbitMQConstants.MESSAGE_ID, id);
            exchange.setProperty(MessageKeys.EVENT_ID, id);
        }
    }

    public String accepted(Exchange exchange, String idField, boolean assigned) {
        JsonNode record = exchange.getProperty(PipelineRecords.JSON, JsonNode.class);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        if (assigned) {
            answer.put("id", exchange.getProperty(MessageKeys.EVENT_ID, String.class));
        } else if (record != null && idField != null && !idField.isBlank() && record.get(idField) != null) {
            answer.set(idField, record.get(idField));
        } else {
            answer.put("accepted", true);
        }
        return http.answer(exchange, 202, answer);
    }
}
