package com.ingestrouter.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.observe.MessageKeys;
import com.ingestrouter.validation.JsonValidator;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Reads an event in either accepted form, normalises it to the envelope and validates it against
 * {@code schemas/events/envelope.json} and then its type's schema. Used by POST /produce and again by
 * the consumer (other producers write to the topic too), so both reject the same things the same way.
 *
 * <p>Flat form: {@code {"eventId", "eventType", "timestamp", ...fields}} becomes
 * {@code {"eventId", "type", "timestamp", "data": {...fields}}}. Problems in a flat body are reported
 * with the field name as sent ({@code userId}), in an envelope as {@code data.userId}.
 */
public final class EventParser {
    private static final Set<String> ENVELOPE_FIELDS = Set.of("eventId", "type", "timestamp", "data");
    private static final Set<String> FLAT_HEADER_FIELDS = Set.of("eventId", "eventType", "timestamp");
    private static final String[] DATA_TIMESTAMPS = {"createdAt", "placedAt", "settledAt", "adjustedAt"};
    private static final Map<String, EventType> KNOWN = java.util.Arrays.stream(EventType.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(EventType::name, t -> t));

    private static final MessageDigest SHA_256 = sha256();

    private final JsonValidator validator;
    private final ObjectMapper json;

    public EventParser(JsonValidator validator, ObjectMapper json) {
        this.validator = validator;
        this.json = json;
    }

    /** Camel entry point: parses the body and notes eventId, type and key for logs and dead letters. */
    public Event parse(Exchange exchange) {
        JsonNode node = validator.parseObject(exchange);
        note(exchange, node);
        Event event = parse(node);
        exchange.setProperty(MessageKeys.EVENT_ID, event.eventId());
        exchange.setProperty(MessageKeys.TYPE, event.type().name());
        exchange.setProperty(MessageKeys.KEY, event.key());
        return event;
    }

    public Event parse(String body) {
        return parse(validator.parseObject(body));
    }

    Event parse(JsonNode node) {
        boolean flat = !node.has("data") && !node.has("type") && node.has("eventType");
        ObjectNode envelope = flat ? fromFlat((ObjectNode) node) : (ObjectNode) node;
        try {
            EventType type = validate(envelope);
            Instant timestamp = instant(envelope.get("timestamp"), "timestamp");
            ObjectNode data = (ObjectNode) envelope.get("data");
            for (String field : DATA_TIMESTAMPS) {
                if (data.hasNonNull(field)) {
                    instant(data.get(field), "data." + field);
                }
            }
            for (Iterator<String> names = envelope.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!ENVELOPE_FIELDS.contains(name)) {
                    throw new InvalidMessageException(name, "unknown envelope field");
                }
            }
            String key = data.get(type.keyField()).asText();
            return new Event(envelope.get("eventId").asText(), type, timestamp, data, key, hash(envelope), envelope);
        } catch (InvalidMessageException e) {
            if (flat && e.field() != null && e.field().startsWith("data.")) {
                throw new InvalidMessageException(e.field().substring(5), e.getMessage());
            }
            if (flat && "type".equals(e.field())) {
                throw new InvalidMessageException("eventType", e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Each type's schema holds the envelope's rules too, so a known type is checked by its own schema
     * alone (one validation per event instead of two; schema validation was ~8% of the consumer's CPU).
     * Only when that fails, or the type is unknown, is the envelope checked first, so the first problem
     * reported is the same as with both in sequence.
     */
    private EventType validate(ObjectNode envelope) {
        String typeName = envelope.path("type").textValue();
        EventType known = typeName == null ? null : KNOWN.get(typeName);
        if (known != null) {
            try {
                validator.validate("events/" + known.name(), envelope);
                return known;
            } catch (InvalidMessageException typeProblem) {
                validator.validate("events/envelope", envelope);
                throw typeProblem;
            }
        }
        validator.validate("events/envelope", envelope);
        EventType type = EventType.valueOf(envelope.get("type").asText());
        validator.validate("events/" + type.name(), envelope);
        return type;
    }

    /** Parses an ISO-8601 instant with an offset ({@code 2026-01-01T10:00:00Z}, {@code ...+02:00}). */
    static Instant instant(JsonNode value, String field) {
        Instant common = commonForm(value.asText());
        if (common != null) {
            return common;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidMessageException(field, "must be an ISO-8601 date-time with offset, e.g. 2026-01-01T10:00:00Z");
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f..f](Z|+hh:mm|-hh:mm)}, the form nearly every producer sends, read
     * without DateTimeFormatter (OffsetDateTime.parse was 12% of the consumer's CPU). Anything else, and
     * any impossible date or time, returns null and goes through OffsetDateTime.parse, so what is
     * accepted and its value are the same as before.
     */
    static Instant commonForm(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i++) - '0');
            }
            if (i == start || i >= n) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        char sign = s.charAt(i);
        if (sign == 'Z' && i + 1 == n) {
            offset = ZoneOffset.UTC;
        } else if ((sign == '+' || sign == '-') && i + 6 == n && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if ((oh | om) < 0) {
                return null;
            }
            try {
                offset = sign == '+' ? ZoneOffset.ofHoursMinutes(oh, om) : ZoneOffset.ofHoursMinutes(-oh, -om);
            } catch (java.time.DateTimeException e) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in s[from, from + count), or -1 unless all are ASCII digits. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private ObjectNode fromFlat(ObjectNode flat) {
        ObjectNode envelope = json.createObjectNode();
        ObjectNode data = json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = flat.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!FLAT_HEADER_FIELDS.contains(field.getKey())) {
                data.set(field.getKey(), field.getValue());
            }
        }
        copy(flat, "eventId", envelope, "eventId");
        copy(flat, "eventType", envelope, "type");
        copy(flat, "timestamp", envelope, "timestamp");
        envelope.set("data", data);
        return envelope;
    }

    private static void copy(ObjectNode from, String name, ObjectNode to, String as) {
        if (from.has(name)) {
            to.set(as, from.get(name));
        }
    }

    /** The eventId goes into logs and the dead-letter envelope even when the rest is invalid. */
    private static void note(Exchange exchange, JsonNode node) {
        JsonNode id = node.get("eventId");
        if (id != null && id.isTextual()) {
            exchange.setProperty(MessageKeys.EVENT_ID, id.asText());
        }
        JsonNode type = node.has("type") ? node.get("type") : node.get("eventType");
        // Only known types become a metric label; anything else stays "events".
        if (type != null && type.isTextual() && KNOWN.containsKey(type.asText())) {
            exchange.setProperty(MessageKeys.TYPE, type.asText());
        }
    }

    /**
     * SHA-256 of the canonical content: the envelope without its eventId, object keys sorted at every
     * level, no whitespace, Jackson's escaping and number forms. Written from the parsed tree straight
     * into the digest: no copy of the tree, no conversion to maps, no String. The bytes are exactly those
     * of the earlier copy-sort-serialise form, so hashes already in the database stay valid
     * (EventParserTest pins them).
     */
    private String hash(ObjectNode envelope) {
        MessageDigest sha256;
        try {
            // A clone of a ready digest: getInstance walks the security providers on every call.
            sha256 = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        try (JsonGenerator out = json.getFactory().createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), sha256))) {
            writeCanonical(out, envelope, "eventId");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeCanonical(JsonGenerator out, JsonNode node, String skip) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.size());
            node.fieldNames().forEachRemaining(names::add);
            Collections.sort(names);
            out.writeStartObject();
            for (String name : names) {
                if (!name.equals(skip)) {
                    out.writeFieldName(name);
                    writeCanonical(out, node.get(name), null);
                }
            }
            out.writeEndObject();
        } else if (node.isArray()) {
            out.writeStartArray();
            for (JsonNode item : node) {
                writeCanonical(out, item, null);
            }
            out.writeEndArray();
        } else if (node.isNull()) {
            out.writeNull();
        } else if (node.isValueNode() && !node.isPojo() && !node.isBinary()) {
            // Scalars as the mapper writes them (BigDecimal, int, long, BigInteger, double, text, boolean),
            // through the node's own serialize: writeTree went through the mapper's serializer lookup and
            // flushed the generator after every value (FLUSH_AFTER_WRITE_VALUE), 5% of a consumer thread.
            // The bytes are the same (EventParserTest).
            node.serialize(out, null);
        } else {
            out.writeTree(node);
        }
    }
}
