package com.ingestrouter.operations;

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

/** The README's first command: no servers, H2, in-JVM queue, dead letters in a table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningApp app;

    @BeforeAll
    void start() {
        app = RunningApp.builder(Mode.EMBEDDED).start();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void postedPaymentsAreStoredAndDuplicatesSkipped() {
        assertThat(app.post("/payments", "{\"user_id\": 1, \"payment_id\": 101, \"deposit_amount\": 10}").statusCode()).isEqualTo(202);
        assertThat(app.post("/payments", "{\"user_id\": 1, \"payment_id\": 101, \"deposit_amount\": 10}").statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(app.rows("SELECT payment_id FROM payment_events WHERE payment_id = 101")).hasSize(1);
            assertThat(app.rows("SELECT payment_id FROM skipped_messages WHERE payment_id = 101")).hasSize(1);
        });
        assertThat(app.get("/metrics").body())
                .contains("messages_processed_total{outcome=\"stored\",pipeline=\"payments\",type=\"payment\"}")
                .contains("db_latency_seconds_bucket");
    }

    @Test
    void invalidMessageOnTheQueueGoesToTheDeadLetterTable() throws Exception {
        String payload = "{\"user_id\": -4, \"payment_id\": 102, \"deposit_amount\": 1}";
        app.context().createProducerTemplate().sendBody(app.context().resolvePropertyPlaceholders("{{ingest.payments.publish}}"), payload);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                !app.rows("SELECT envelope FROM dead_letters WHERE event_id = '102'").isEmpty());
        Map<String, Object> row = app.rows("SELECT pipeline, envelope FROM dead_letters WHERE event_id = '102'").get(0);
        JsonNode envelope = JSON.readTree(String.valueOf(row.get("envelope")));
        assertThat(row.get("pipeline")).isEqualTo("payments");
        assertThat(envelope.get("payload").asText()).isEqualTo(payload);
        assertThat(envelope.get("error").get("field").asText()).isEqualTo("user_id");
        assertThat(envelope.get("attempts").asInt()).isEqualTo(1);
        assertThat(app.rows("SELECT * FROM payment_events WHERE payment_id = 102")).isEmpty();
    }

    @Test
    void deadLetterAdminIsDisabledWithoutAToken() {
        var answer = app.get("/dlq");
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("INGEST_ADMIN_TOKEN");
    }

    @Test
    void healthNamesTheDatabase() throws Exception {
        var health = app.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks").get("database").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void healthIsAViewOfCamelsRegistryWithReadinessAndLivenessApart() throws Exception {
        assertThat(app.get("/health/ready").body()).isEqualTo(app.get("/health").body());
        JsonNode live = JSON.readTree(app.get("/health/live").body());
        assertThat(live.get("status").asText()).isEqualTo("UP");
        assertThat(live.get("checks").has("context")).isTrue();
        assertThat(live.get("checks").has("database")).isFalse();

        var observed = app.management("/observe/health?exposureLevel=full&data=true");
        assertThat(observed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(observed.body()).get("checks")).anySatisfy(check -> {
            assertThat(check.get("name").asText()).isEqualTo("database");
            assertThat(check.get("status").asText()).isEqualTo("UP");
            assertThat(check.at("/data/check.group").asText()).isEqualTo("dependencies");
            assertThat(check.at("/data/check.kind").asText()).endsWith("READINESS");
        });
    }
}
