package com.ingestrouter.errors;

/** A request body that does not say it is JSON: HTTP answers 415, not 400. */
public class UnsupportedMediaType extends InvalidMessageException {
    public UnsupportedMediaType(String message) {
        super(null, message);
    }
}
