package com.ingestrouter.events;

/** What the idempotency ledger decided for one event; the name is the metric's outcome label. */
public enum Outcome {
    /** First time this eventId was seen: applied. */
    stored,
    /** Same eventId, same content: an exact redelivery, skipped without a write. */
    duplicate,
    /** Same eventId, changed content: applied again as a correction (logged at WARN). */
    corrected
}
