package com.ingestrouter.http;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * HTTP answers carry only the headers we mean to send. Without this, every Camel message header goes
 * out: internal ones (broker metadata) leak, and a form-encoded request's fields (curl -d without a
 * content type) become header names that Vert.x refuses, turning a 4xx into a 500.
 */
public final class ResponseHeaderFilter extends DefaultHeaderFilterStrategy {
    private static final Set<String> ALLOWED = Set.of("content-type", "location", "retry-after", "www-authenticate", "allow");

    public ResponseHeaderFilter() {
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !ALLOWED.contains(headerName.toLowerCase(java.util.Locale.ROOT));
    }
}
