package com.ingestrouter.errors;

import org.apache.camel.Exchange;

/**
 * Keeps retrying a message while it is younger than the window (measured from when it was consumed).
 * Camel asks once per failed attempt, so this is also where those attempts are counted for the
 * dead-letter envelope (Camel's own redelivery counter is gone by the time the writer runs).
 */
public final class RetryWindow {
    /** Exchange property: failed attempts seen by the retry window. */
    public static final String FAILED_ATTEMPTS = "ingestFailedAttempts";
    private final long windowMs;

    public RetryWindow(long windowMs) {
        this.windowMs = windowMs;
    }

    public boolean isOpen(Exchange exchange) {
        exchange.setProperty(FAILED_ATTEMPTS, exchange.getProperty(FAILED_ATTEMPTS, 0, Integer.class) + 1);
        return exchange.getClock().elapsed() < windowMs;
    }
}
