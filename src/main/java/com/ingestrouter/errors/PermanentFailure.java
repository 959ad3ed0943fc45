package com.ingestrouter.errors;

/**
 * The message itself is at fault (bad input, a value the database refuses): retrying cannot help, so the
 * shared error handler dead-letters it at once.
 */
public class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
