package com.ingestrouter.http;

import com.ingestrouter.errors.InvalidMessageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;

/** Query and path parameters of the read APIs; a bad value is a 400 naming the parameter. */
public final class QueryParams {
    private QueryParams() {
    }

    /** Optional text parameter; blank counts as absent. */
    public static String text(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Optional integer within [min, max]; absent gives the default. */
    public static int integer(Exchange exchange, String name, int fallback, int min, int max) {
        String value = text(exchange, name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidMessageException(name, "must be an integer from " + min + " to " + max);
    }

    /** A path id that must be a positive whole number. */
    public static long id(Exchange exchange, String name) {
        String value = text(exchange, name);
        try {
            long parsed = Long.parseLong(value == null ? "" : value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidMessageException(name, "must be a positive integer");
    }

    /** Optional ISO-8601 timestamp with an offset ({@code 2026-01-31T12:00:00Z}). */
    public static Instant instant(Exchange exchange, String name) {
        String value = text(exchange, name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException(name, "must be an ISO-8601 timestamp with offset, e.g. 2026-01-31T12:00:00Z");
        }
    }
}
