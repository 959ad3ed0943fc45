package com.ingestrouter.errors;

/** Input that fails validation; {@link #field()} names the offending field (null for the whole body). */
public class InvalidMessageException extends PermanentFailure {
    private final String field;

    public InvalidMessageException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
