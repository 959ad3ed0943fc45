package com.ingestrouter.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The dead-letter envelope, the same in Redis ({@code dlq:<pipeline>}) and in the embedded table.
 *
 * @param id       entry id, so an operator can replay or inspect one entry
 * @param eventId  the message's natural id when it could be read, else null
 * @param source   where it came from: endpoint, queue, or topic/partition/offset
 * @param payload  the original message body, byte for byte, as a string
 * @param error    {@code {"type": ..., "message": ...}}
 * @param attempts how many times the message was tried, replays included
 * @param failedAt ISO-8601 UTC
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeadLetter(
        String id,
        String eventId,
        String pipeline,
        Map<String, Object> source,
        String payload,
        Map<String, String> error,
        int attempts,
        String failedAt,
        String routeId) {
}
