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

    @Test
    void keysFollowTheType() {
        assertThat(parser.parse("{\"eventId\":\"e\",\"type\":\"PaymentSettled\",\"timestamp\":\"2026-01-01T10:00:00+02:00\","
                + "\"data\":{\"orderId\":\"o9\",\"amount\":1,\"status\":\"settled\"}}").key()).isEqualTo("o9");
        assertThat(parser.parse("{\"eventId\":\"e\",\"type\":\"InventoryAdjusted\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                + "\"data\":{\"sku\":\"s1\",\"quantity\":2,\"adjustmentType\":\"add\"}}").key()).isEqualTo("s1");
    }

    @Test
    void unknownEnvelopeFieldIsRejected() {
        assertThatThrownBy(() -> parser.parse("{\"eventId\":\"e\",\"type\":\"PaymentSettled\",\"timestamp\":\"2026-01-01T10:00:00Z\","
                + "\"data\":{\"orderId\":\"o9\",\"amount\":1,\"status\":\"s\"},\"extra\":1}"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("unknown");
    }
}
