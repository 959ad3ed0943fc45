package com.ingestrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.validation.JsonValidator;
import org.junit.jupiter.api.Test;

class EventParserTest {
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final EventParser parser = new EventParser(new JsonValidator(json, 1 << 20), json);

    @Test
    void flatFormIsTheSameEventAsItsEnvelope() {
        Event flat = parser.parse("{\"eventId\":\"e1\",\"eventType\":\"UserCreated\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                + "\"userId\":\"u1\",\"email\":\"a@example.com\",\"firstName\":\"A\",\"lastName\":\"B\"}");
        Event envelope = parser.parse("{\"type\":\"UserCreated\",\"eventId\":\"e1\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                + "\"data\":{\"lastName\":\"B\",\"firstName\":\"A\",\"email\":\"a@example.com\",\"userId\":\"u1\"}}");
        assertThat(flat.contentHash()).isEqualTo(envelope.contentHash());
        assertThat(flat.key()).isEqualTo("u1");
        assertThat(flat.json()).contains("\"data\":{");
    }

    @Test
    void changedContentChangesTheHash() {
        String base = "{\"eventId\":\"e1\",\"type\":\"ProductReview\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                + "\"data\":{\"reviewId\":\"r1\",\"productName\":\"Mug\",\"username\":\"ann\",\"rating\":%d}}";
        assertThat(parser.parse(base.formatted(4)).contentHash()).isNotEqualTo(parser.parse(base.formatted(5)).contentHash());
    }

    /**
     * The ledger already holds hashes of the earlier form: copy the envelope, drop eventId, convert to
     * maps, serialise with sorted keys. The streamed hash must give the same bytes, or every replay of a
     * stored event would count as a correction.
     */
    @Test
    void contentHashIsTheOneAlreadyStoredInTheLedger() throws Exception {
        ObjectMapper sorted = json.copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        for (String body : new String[] {
                "{\"eventId\":\"e1\",\"type\":\"UserCreated\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                        + "\"data\":{\"userId\":\"u1\",\"name\":\"Zoë \\\"Q\\\" \\u00e9\\n\u4e2d\",\"email\":\"a@example.com\"}}",
                "{\"timestamp\":\"2026-01-01T10:00:00+02:00\",\"data\":{\"userId\":42,\"lastName\":\"B\",\"firstName\":\"A\","
                        + "\"email\":\"a@example.com\"},\"type\":\"UserCreated\",\"eventId\":\"e2\"}",
                "{\"eventId\":\"e3\",\"type\":\"OrderPlaced\",\"timestamp\":\"2026-01-01T10:00:00Z\",\"data\":{\"orderId\":\"o1\","
                        + "\"userId\":\"u1\",\"total\":12.50,\"currency\":\"EUR\",\"items\":[{\"sku\":\"b\",\"quantity\":2,\"price\":5},"
                        + "{\"price\":2.5,\"quantity\":1,\"sku\":\"a\"}]}}",
                "{\"eventId\":\"e4\",\"eventType\":\"InventoryAdjusted\",\"timestamp\":\"2026-01-01T10:00:00Z\",\"sku\":\"s1\","
                        + "\"delta\":-123456789,\"reason\":\"count\"}",
                "{\"eventId\":\"e5\",\"type\":\"PaymentSettled\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                        + "\"data\":{\"orderId\":\"o9\",\"amount\":1E+2,\"status\":\"settled\",\"paymentId\":123456789012345678901234567890}}"}) {
            Event event = parser.parse(body);
            var content = event.envelope().deepCopy();
            content.remove("eventId");
            byte[] earlier = sorted.writeValueAsString(sorted.treeToValue(content, Object.class))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(earlier));
            assertThat(event.contentHash()).as(body).isEqualTo(expected);
        }
    }

    /** The fast path reads the common form exactly as OffsetDateTime.parse does, and leaves everything else to it. */
    @Test
    void commonTimestampFormIsReadAsOffsetDateTimeReadsIt() {
        for (String text : new String[] {"2026-01-01T10:00:00Z", "2025-01-01T00:00:42Z", "2026-03-01T10:00:00.5Z",
                "2026-03-01T10:00:00.123456789Z", "2026-03-01T10:00:00+02:00", "2026-03-01T23:59:59-05:30",
                "0001-01-01T00:00:00Z", "2024-02-29T12:00:00+14:00", "2026-01-01t10:00:00Z", "2026-01-01T10:00:00z",
                "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:59:60Z", "2026-13-01T00:00:00Z",
                "2026-01-01T10:00:00+19:00", "2026-01-01T10:00:00.Z", "2026-01-01T10:00:00.1234567891Z",
                "2026-01-01T10:00:00+0200", "2026-01-01T10:00:00", "2026-01-01 10:00:00Z", "+2026-01-01T10:00:00Z",
                "2026-01-01T10:00:00+02:00:30", "2026-1-01T10:00:00Z", "2026-01-01T10:00Z"}) {
            java.time.Instant expected;
            try {
                expected = java.time.OffsetDateTime.parse(text).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                expected = null;
            }
            java.time.Instant fast = EventParser.commonForm(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(expected);
            }
            if (expected == null) {
                assertThat(fast).as(text + " is refused").isNull();
            }
        }
        assertThat(EventParser.commonForm("2026-03-01T10:00:00+02:00")).isNotNull();
    }

    @Test
    void keysFollowTheType() {
        assertThat(parser.parse("{\"eventId\":\"e\",\"type\":\"PaymentSettled\",\"timestamp\":\"2026-01-01T10:00:00+02:00\","
                + "\"data\":{\"orderId\":\"o9\",\"amount\":1,\"status\":\"settled\"}}").key()).isEqualTo("o9");
        assertThat(parser.parse("{\"eventId\":\"e\",\"type\":\"InventoryAdjusted\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                + "\"data\":{\"sku\":\"s1\",\"quantity\":2,\"adjustmentType\":\"add\"}}").key()).isEqualTo("s1");
    }

    @Test
    void typeThatIsNotTextIsRejectedByTheEnvelopeSchema() {
        assertThatThrownBy(() -> parser.parse("{\"eventId\":\"e\",\"type\":1,\"timestamp\":\"2026-01-01T10:00:00Z\",\"data\":{}}"))
                .isInstanceOf(InvalidMessageException.class).extracting("field").isEqualTo("type");
    }

    @Test
    void unknownEnvelopeFieldIsRejected() {
        assertThatThrownBy(() -> parser.parse("{\"eventId\":\"e\",\"type\":\"PaymentSettled\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                + "\"data\":{\"orderId\":\"o9\",\"amount\":1,\"status\":\"s\"},\"extra\":1}"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("unknown");
    }
}
