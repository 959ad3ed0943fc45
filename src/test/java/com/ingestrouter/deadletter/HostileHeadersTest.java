package com.ingestrouter.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Headers are data from whoever published: a non-numeric attempts header, or a forged Camel header,
 * must neither stop the dead-letter writer nor reach the envelope. One app in brokers mode (MariaDB,
 * RabbitMQ, Redis, the test Kafka broker); each source gets a poison message with hostile headers
 * followed by a good one, which must be stored: nothing is stuck behind the poison.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileHeadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a careless or hostile producer can put on a message. */
    private static final Map<String, String> HOSTILE = hostile();
    private RunningApp app;
    private String payments;
    private String logs;
    private String topic;

    private static Map<String, String> hostile() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ingest-attempts", "three");
        headers.put("CamelRedeliveryCounter", "not-a-number");
        headers.put("CamelRedelivered", "maybe");
        headers.put("CamelHttpUri", "http://127.0.0.1:1/forged");
        headers.put("CamelSpringRabbitmqMessageId", "forged-id");
        return headers;
    }

    @BeforeAll
    void start() {
        payments = TestServices.freshQueue("payments");
        logs = TestServices.freshQueue("logs");
        topic = TestKafka.freshTopic("events");
        app = RunningApp.builder(Mode.BROKERS)
                .database(TestDatabase.MARIADB, "hostile_headers")
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", payments)
                .property("ingest.logs.queue", logs)
                .property("ingest.events.topic", topic)
                .property("ingest.events.group-id", topic + "-group")
                .property("ingest.events.partitions", 1)
                .property("ingest.events.consumers", 1)
                .property("ingest.events.poll-timeout-ms", 200)
                .property("ingest.retry.unexpected-attempts", 1)
                .start();
    }

    @AfterAll
    void stop() {
        app.close();
        TestServices.deleteQueue(payments);
        TestServices.deleteQueue(logs);
    }

    @BeforeEach
    void clean() {
        TestServices.clearDeadLetters();
    }

    @Test
    void paymentWithHostileHeadersIsDeadLetteredOnceAndTheNextPaymentIsStored() throws Exception {
        TestServices.publishRaw(payments, "{\"user_id\": \"x\", \"payment_id\": 91, \"deposit_amount\": 1}"
                .getBytes(StandardCharsets.UTF_8), null, HOSTILE);
        TestServices.publishRaw(payments, "{\"user_id\": 9, \"payment_id\": 92, \"deposit_amount\": 2}"
                .getBytes(StandardCharsets.UTF_8), null, HOSTILE);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TestServices.deadLetters("payments")).hasSize(1);
            assertThat(app.rows("SELECT payment_id FROM payment_events")).containsExactly(Map.of("payment_id", 92L));
            assertThat(TestServices.queueDepth(payments)).isZero();
        });
        assertCleanEnvelope(TestServices.deadLetters("payments").get(0), "91");
    }

    @Test
    void logWithHostileHeadersIsDeadLetteredOnceAndTheNextLogIsStored() throws Exception {
        String bad = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        TestServices.publishRaw(logs, "[\"not\", \"an\", \"object\"]".getBytes(StandardCharsets.UTF_8), bad, HOSTILE);
        TestServices.publishRaw(logs, "{\"level\": \"info\", \"message\": \"after the poison\"}"
                .getBytes(StandardCharsets.UTF_8), good, HOSTILE);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TestServices.deadLetters("logs")).hasSize(1);
            assertThat(app.rows("SELECT id FROM logs WHERE id = ?", good)).hasSize(1);
            assertThat(TestServices.queueDepth(logs)).isZero();
        });
        // The log's id is the AMQP message id, not in the body: a body that is no JSON object has no name.
        assertCleanEnvelope(TestServices.deadLetters("logs").get(0), null);
    }

    @Test
    void eventWithHostileHeadersIsDeadLetteredOnceAndThePartitionMovesOn() throws Exception {
        TestKafka.send(topic, "user-93", "{\"eventId\": \"e-93\", \"type\": \"Nope\"}".getBytes(StandardCharsets.UTF_8), HOSTILE);
        TestKafka.send(topic, "user-94", ("{\"eventId\": \"e-94\", \"type\": \"UserCreated\", \"timestamp\": \"2026-11-25T05:00:00Z\","
                + " \"data\": {\"userId\": \"u-94\", \"email\": \"u94@example.com\", \"name\": \"Ninety Four\"}}")
                .getBytes(StandardCharsets.UTF_8), HOSTILE);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(TestServices.deadLetters("events")).hasSize(1);
            assertThat(app.rows("SELECT event_id FROM users WHERE event_id = 'e-94'")).hasSize(1);
        });
        assertCleanEnvelope(TestServices.deadLetters("events").get(0), "e-93");
    }

    /** One attempt (the forged counters are ignored) and nothing of the forged headers in the envelope. */
    private static void assertCleanEnvelope(String stored, String eventId) throws Exception {
        JsonNode letter = JSON.readTree(stored);
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
        if (eventId != null) {
            assertThat(letter.get("eventId").asText()).isEqualTo(eventId);
        }
        assertThat(stored).doesNotContain("forged").doesNotContain("not-a-number");
    }
}
