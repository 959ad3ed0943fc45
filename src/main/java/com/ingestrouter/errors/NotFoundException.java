package com.ingestrouter.errors;

/** A read API was asked for a record that does not exist: 404 through the {@code http-errors} policy. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
