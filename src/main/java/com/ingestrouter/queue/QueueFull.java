package com.ingestrouter.queue;

import com.ingestrouter.errors.InfrastructureUnavailable;

/**
 * An in-JVM queue (embedded mode) holds its capacity: the publisher is refused instead of blocked.
 * HTTP answers 503 with Retry-After (http-errors); a consuming route that publishes retries it like any
 * other outage (dead-letter policy), never dead-letters it.
 */
public final class QueueFull extends InfrastructureUnavailable {
    QueueFull(String queue, int capacity, Throwable cause) {
        super("in-JVM queue " + queue + " (full at " + capacity + " messages)", cause);
    }
}
