package com.ingestrouter.http;

import org.apache.camel.Exchange;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.http.RestUtil;

/**
 * The REST DSL's client request validation ({@code camel.rest.client-request-validation}), with JSON
 * answers: a Content-Type the verb does not {@code consumes} is a 415. A request without a Content-Type
 * is let through, as Camel's default validator does, and a JSON-based type ({@code application/vnd.x+json},
 * RFC 6839) counts as {@code application/json}.
 *
 * <p>Camel's default validator also answers 406 for an Accept header that does not name what the verb
 * produces and 400 for a body its own parser cannot read, both in plain text: our answers are JSON
 * whatever the Accept header says, and the body is parsed (strictly, naming the field) by the route.
 */
public final class JsonRequestValidator implements RestClientRequestValidator {
    private final HttpErrors http;

    public JsonRequestValidator(HttpErrors http) {
        this.http = http;
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        String contentType = ExchangeHelper.getContentType(exchange);
        if (context.consumes() != null && contentType != null
                && !RestUtil.isValidOrAcceptedContentType(context.consumes(), contentType)
                && !(context.consumes().contains("application/json") && structuredJson(contentType))) {
            return new ValidationError(415, http.unsupportedMediaType(exchange, contentType, context.consumes()));
        }
        return null;
    }

    private static boolean structuredJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("application/") && type.endsWith("+json");
    }
}
