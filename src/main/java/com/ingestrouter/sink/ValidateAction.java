package com.ingestrouter.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.validation.JsonValidator;
import org.apache.camel.Exchange;

/**
 * The validate block ({@code kamelets/ingest-json-validate-action.kamelet.yaml}): each record must be a
 * JSON object that its JSON Schema accepts. At the HTTP edge a refusal is thrown (the route answers
 * 400 naming the field, and nothing is published); in a consuming pipeline it is left on the record,
 * which the sink then sends to its dead letter, so one bad record never fails the batch.
 */
public final class ValidateAction extends Block {
    private String schema;
    private String idField;
    private long maxBytes;
    private volatile JsonValidator validator;
    private volatile Intake intake;

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public void setMaxBytes(String maxBytes) {
        this.maxBytes = maxBytes == null || maxBytes.isBlank() ? 0 : Long.parseLong(maxBytes.trim());
    }

    public void setIdField(String idField) {
        this.idField = idField == null || idField.isBlank() ? null : idField.trim();
    }

    public void process(Exchange exchange) {
        JsonValidator v = validator();
        if (!PipelineRecords.consuming(exchange)) {
            String body = v.requestBody(exchange);
            // Published byte for byte as received: the body stays the request text.
            exchange.getMessage().setBody(body);
            JsonNode node = v.parseObject(body, maxBytes);
            noteId(exchange, node);
            v.validate(schema, node);
            exchange.setProperty(PipelineRecords.JSON, node);
            return;
        }
        for (Exchange record : PipelineRecords.of(exchange, intake)) {
            JsonNode node = PipelineRecords.parsed(record, v, maxBytes);
            if (node != null) {
                noteId(record, node);
                try {
                    v.validate(schema, node);
                } catch (InvalidMessageException e) {
                    record.removeProperty(PipelineRecords.JSON);
                    record.setProperty(PipelineRecords.INVALID, e);
                }
            }
        }
    }

    private void noteId(Exchange record, JsonNode node) {
        JsonNode id = idField == null ? null : node.get(idField);
        if (id != null && (id.isTextual() || id.isIntegralNumber())) {
            record.setProperty(MessageKeys.EVENT_ID, id.asText());
        }
    }

    private JsonValidator validator() {
        if (validator == null) {
            intake = lookup("intake", Intake.class);
            validator = lookup("jsonValidator", JsonValidator.class);
        }
        return validator;
    }
}
