package com.ingestrouter.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** The paging of the list endpoints: {@code ?limit=&offset=} in, echoed beside the items and their total. */
public record Page(int limit, int offset) {

    /** Limit between 1 and {@code maxLimit} (default {@code defaultLimit}), offset ≥ 0; 400 otherwise. */
    public static Page of(Exchange exchange, int defaultLimit, int maxLimit) {
        return of(exchange, defaultLimit, maxLimit, false);
    }

    /** As {@link #of(Exchange, int, int)}; with {@code capped}, a larger limit gives {@code maxLimit} instead of 400. */
    public static Page of(Exchange exchange, int defaultLimit, int maxLimit, boolean capped) {
        int limit = QueryParams.integer(exchange, "limit", defaultLimit, 1, capped ? Integer.MAX_VALUE : maxLimit);
        return new Page(Math.min(limit, maxLimit), QueryParams.integer(exchange, "offset", 0, 0, Integer.MAX_VALUE));
    }

    /** {@code {"<name>": [...], "count": <total>, "limit", "offset"}}. */
    public Map<String, Object> answer(String name, List<?> items, long count) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(name, items);
        body.put("count", count);
        body.put("limit", limit);
        body.put("offset", offset);
        return body;
    }
}
