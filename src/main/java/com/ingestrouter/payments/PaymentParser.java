package com.ingestrouter.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.validation.JsonValidator;
import org.apache.camel.Exchange;

/** Turns a payments message into a {@link Payment}, or fails it with the offending field named. */
public final class PaymentParser {
    private static final String SCHEMA = "payments/payment";
    private final JsonValidator validator;

    public PaymentParser(JsonValidator validator) {
        this.validator = validator;
    }

    /** Validates the body and notes the payment id for logs and dead letters; the body is left as sent. */
    public Payment parse(Exchange exchange) {
        JsonNode node = validator.parseObject(exchange.getMessage().getBody(String.class));
        JsonNode id = node.get("payment_id");
        if (id != null && id.isIntegralNumber()) {
            exchange.setProperty(MessageKeys.EVENT_ID, id.asText());
        }
        validator.validate(SCHEMA, node);
        return new Payment(node.get("user_id").longValue(), node.get("payment_id").longValue(),
                node.get("deposit_amount").decimalValue());
    }
}
