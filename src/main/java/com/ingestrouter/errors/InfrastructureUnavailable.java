package com.ingestrouter.errors;

/**
 * A dependency (database, Redis, broker) is down or timed out. Never dead-lettered, never acked: the
 * message is retried in place with backoff until the dependency is back.
 */
public class InfrastructureUnavailable extends RuntimeException {
    public InfrastructureUnavailable(String dependency, Throwable cause) {
        super(dependency + " unavailable: " + cause.getMessage(), cause);
    }
}
