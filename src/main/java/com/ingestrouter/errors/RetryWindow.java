package com.ingestrouter.errors;

import org.apache.camel.Exchange;

/** Keeps retrying a message while it is younger than the window (measured from when it was consumed). */
public final class RetryWindow {
    private final long windowMs;

    public RetryWindow(long windowMs) {
        this.windowMs = windowMs;
    }

    public boolean isOpen(Exchange exchange) {
        return exchange.getClock().elapsed() < windowMs;
    }
}
