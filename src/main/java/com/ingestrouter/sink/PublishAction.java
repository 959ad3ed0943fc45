package com.ingestrouter.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.observe.MessageKeys;
import org.apache.camel.Exchange;

/**
 * The answer of the HTTP publish block ({@code kamelets/ingest-queue-publish-action.kamelet.yaml}) once
 * the broker confirmed: 202 with the record's id field, as the record has it ({@code {"orderId":"O-1"}}),
 * or with the id the block assigned ({@code {"id": "…uuid…"}}).
 */
public final class PublishAction extends Block {
    private String idField = "";
    private boolean assignId;
    private volatile HttpErrors http;

    public void setIdField(String idField) {
        this.idField = idField;
    }

    public void setAssignId(boolean assignId) {
        this.assignId = assignId;
    }

    @Override
    public void process(Exchange exchange) {
        JsonNode record = exchange.getProperty(PipelineRecords.JSON, JsonNode.class);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        if (assignId) {
            answer.put("id", exchange.getProperty(MessageKeys.EVENT_ID, String.class));
        } else if (record != null && idField != null && !idField.isBlank() && record.get(idField) != null) {
            answer.set(idField, record.get(idField));
        } else {
            answer.put("accepted", true);
        }
        exchange.getMessage().setBody(http().answer(exchange, 202, answer));
    }

    private HttpErrors http() {
        HttpErrors h = http;
        if (h == null) {
            h = lookup("httpErrors", HttpErrors.class);
            http = h;
        }
        return h;
    }
}
