package com.ingestrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Embedded mode: the same routes with an in-JVM queue in place of Kafka, H2 and the dead_letters table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsEmbeddedModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningApp app;

    @BeforeAll
    void start() {
        app = RunningApp.builder(Mode.EMBEDDED).property("ingest.events.consumers", 1).start();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void sameRoutesStoreEventsAndAnswerTheReadApiWithoutKafka() throws Exception {
        var accepted = app.post("/produce", EventsPipelineContract.userJson("emb-u1", "emb-user", "emb@example.com"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode answer = JSON.readTree(accepted.body());
        assertThat(answer.get("eventId").asText()).isEqualTo("emb-u1");
        assertThat(answer.get("partition").isNull()).isTrue();
        assertThat(app.post("/produce", EventsPipelineContract.orderJson("emb-o1", "emb-order", "emb-user")).statusCode())
                .isEqualTo(202);
        assertThat(app.post("/produce", EventsPipelineContract.orderJson("emb-o1", "emb-order", "emb-user")).statusCode())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(app.rows("SELECT user_id, email FROM users"))
                    .containsExactly(Map.of("USER_ID", "emb-user", "EMAIL", "emb@example.com"));
            assertThat(app.rows("SELECT order_id FROM orders")).containsExactly(Map.of("ORDER_ID", "emb-order"));
            assertThat(app.get("/metrics").body())
                    .contains("messages_processed_total{outcome=\"duplicate\",pipeline=\"events\",type=\"OrderPlaced\"} 1.0");
        });
        JsonNode user = JSON.readTree(app.get("/users/emb-user").body());
        assertThat(user.get("recentOrders").get(0).get("orderId").asText()).isEqualTo("emb-order");
    }

    @Test
    void invalidMessageOnTheQueueGoesToTheDeadLetterTable() {
        app.context().createProducerTemplate().sendBody(app.context().resolvePropertyPlaceholders("{{ingest.events.publish}}"), "{\"eventId\": \"emb-bad\", \"type\": 1}");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !app.rows("SELECT envelope FROM dead_letters WHERE pipeline = 'events'").isEmpty());
        String envelope = String.valueOf(app.rows("SELECT envelope FROM dead_letters WHERE pipeline = 'events'")
                .get(0).get("ENVELOPE"));
        assertThat(envelope).contains("emb-bad").contains("InvalidMessageException")
                .contains("{\\\"eventId\\\": \\\"emb-bad\\\", \\\"type\\\": 1}");
    }
}
