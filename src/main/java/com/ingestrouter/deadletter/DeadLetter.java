package com.ingestrouter.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * @param payloadBase64 the original bytes in base64 when they were not UTF-8 (then {@code payload} shows
 *                 them with U+FFFD in place of the bad bytes); absent otherwise
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
        String routeId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String payloadBase64) {

    public DeadLetter(String id, String eventId, String pipeline, Map<String, Object> source, String payload,
            Map<String, String> error, int attempts, String failedAt, String routeId) {
        this(id, eventId, pipeline, source, payload, error, attempts, failedAt, routeId, null);
    }

    /** The message as it was received, byte for byte. */
    public byte[] payloadBytes() {
        return payloadBase64 != null ? java.util.Base64.getDecoder().decode(payloadBase64)
                : payload == null ? null : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Where the message sits in a log it can be read from again ({@code topic/partition/offset}), or
     * null for a queue message, which has no such position. A Kafka record re-read after a rebalance or
     * a crash is the same record: it gets one dead letter, not two.
     */
    public String position() {
        if (source == null || source.get("topic") == null || source.get("partition") == null || source.get("offset") == null) {
            return null;
        }
        return source.get("topic") + "/" + source.get("partition") + "/" + source.get("offset");
    }

    /**
     * The record itself, for "dead-lettered before?": its position, its timestamp and a hash of its
     * payload, or null when it has no position. The position alone is not enough: a topic deleted and
     * created again reuses offsets, and a new failing record at an old offset must get its own letter.
     */
    public String recordIdentity() {
        String position = position();
        if (position == null) {
            return null;
        }
        return position + "/" + source.get("timestamp") + "/"
                + hash(String.valueOf(payload).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * A queue message, for "dead-lettered before?": its queue, message id and a hash of its bytes, or
     * null when it did not come from a queue. Unlike a Kafka record it has no position: two publishes of
     * the same bytes are two messages and get two letters. Only a broker redelivery (the process died
     * after the letter was stored, before the ack) is the same message, so only a redelivery is checked
     * against the marker every queue letter leaves.
     */
    public String queueIdentity() {
        if (source == null || source.get("queue") == null || position() != null) {
            return null;
        }
        byte[] bytes = payloadBytes();
        Object messageId = source.get("messageId");
        return "queue/" + source.get("queue") + "/" + (messageId == null ? "" : messageId + "/")
                + hash(bytes == null ? new byte[0] : bytes);
    }

    /** The first 16 bytes of the SHA-256 of the bytes, in hex: what the identities above name a payload by. */
    private static String hash(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the broker says this delivery of a queue message is a redelivery. */
    public boolean redelivered() {
        return source != null && Boolean.TRUE.equals(source.get("redelivered"));
    }

    /** The envelope as stored: one JSON object, the same in Redis and in the dead_letters table. */
    public String toJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DeadLetter fromJson(ObjectMapper json, String envelope) {
        try {
            return json.readValue(envelope, DeadLetter.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable dead-letter entry: " + envelope, e);
        }
    }
}
