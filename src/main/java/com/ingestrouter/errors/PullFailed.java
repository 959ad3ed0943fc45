package com.ingestrouter.errors;

/**
 * A pull run could not complete: the source stayed unreachable after its retries, answered with an
 * error, or sent something that is not the expected array. The run is recorded as failed with this
 * message; the next scheduled run tries again.
 */
public class PullFailed extends RuntimeException {
    public PullFailed(String message) {
        super(message);
    }

    public PullFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
