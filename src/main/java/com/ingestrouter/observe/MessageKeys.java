package com.ingestrouter.observe;

/** Exchange property names shared by routes, the dead-letter writer and the outcome log. */
public final class MessageKeys {
    /** Pipeline name, set first thing in every consuming route. */
    public static final String PIPELINE = "pipeline";
    /** Message type (event type, or the pipeline's single type). */
    public static final String TYPE = "messageType";
    /** The message's natural id, once known. */
    public static final String EVENT_ID = "eventId";
    /** Partition key or other business key worth logging. */
    public static final String KEY = "messageKey";
    /** The original body as received, kept for the dead-letter envelope. */
    public static final String PAYLOAD = "originalPayload";
    /** The original body in base64, set only when its bytes are not UTF-8 (so PAYLOAD cannot hold them). */
    public static final String PAYLOAD_BASE64 = "originalPayloadBase64";
    /** Map describing where the message came from. */
    public static final String SOURCE = "messageSource";
    /** stored, duplicate, corrected, dead_lettered, ... */
    public static final String OUTCOME = "outcome";
    /** Attempts made before this delivery (set by dead-letter replays). */
    public static final String PRIOR_ATTEMPTS_HEADER = "x-ingest-attempts";

    private MessageKeys() {
    }
}
