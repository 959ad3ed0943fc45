package com.ingestrouter.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.validation.JsonValidator;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;

/**
 * The validate block ({@code kamelets/ingest-json-validate-action.kamelet.yaml}): each record must be a
 * JSON object that its JSON Schema accepts. At the HTTP edge a refusal is thrown (the route answers
 * 400 naming the field, and nothing is published); in a consuming pipeline it is left on the record,
 * which the sink then sends to its dead letter, so one bad record never fails the batch.
 */
public final class ValidateAction implements CamelContextAware {
    private CamelContext context;
    private String schema;
    private volatile JsonValidator validator;
    private volatile Intake intake;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public void process(Exchange exchange) {
        JsonValidator v = validator();
        if (!PipelineRecords.consuming(exchange)) {
            String body = v.requestBody(exchange);
            // Published byte for byte as received: the body stays the request text.
            exchange.getMessage().setBody(body);
            JsonNode node = v.parseObject(body);
            v.validate(schema, node);
            exchange.setProperty(PipelineRecords.JSON, node);
            return;
        }
        for (Exchange record : PipelineRecords.of(exchange, intake)) {
            JsonNode node = PipelineRecords.parsed(record, v);
            if (node != null) {
                try {
                    v.validate(schema, node);
                } catch (InvalidMessageException e) {
                    record.removeProperty(PipelineRecords.JSON);
                    record.setProperty(PipelineRecords.INVALID, e);
                }
            }
        }
    }

    private JsonValidator validator() {
        if (validator == null) {
            intake = context.getRegistry().lookupByNameAndType("intake", Intake.class);
            validator = context.getRegistry().lookupByNameAndType("jsonValidator", JsonValidator.class);
        }
        return validator;
    }
}
