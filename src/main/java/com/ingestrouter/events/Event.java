package com.ingestrouter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A validated event in its envelope form.
 *
 * @param contentHash SHA-256 of the canonical envelope (type, timestamp, data; keys sorted): the
 *                    idempotency ledger compares it to tell an exact redelivery from a correction
 * @param envelope    the normalised envelope
 */
public record Event(String eventId, EventType type, Instant timestamp, ObjectNode data, String key,
        String contentHash, ObjectNode envelope) {

    /** The normalised envelope as published to Kafka (POST /produce); only that path needs the text. */
    public String json() {
        return envelope.toString();
    }
}
