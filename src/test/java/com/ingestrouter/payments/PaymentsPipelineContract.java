package com.ingestrouter.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestCases;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The payments pipeline against real RabbitMQ and Redis, on one SQL database per subclass. Messages are
 * published straight to the queue, as the reference producer did; rows and dead letters are read back
 * from the database and from Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PaymentsPipelineContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningApp app;
    private String queue;

    abstract TestDatabase database();

    @BeforeAll
    void startApp() {
        queue = TestServices.freshQueue("payments");
        app = RunningApp.builder(Mode.BROKERS)
                .database(database(), "payments")
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", queue)
                .start();
    }

    @AfterAll
    void stopApp() {
        app.close();
        TestServices.deleteQueue(queue);
    }

    @BeforeEach
    void clean() {
        app.jdbc().update("DELETE FROM payment_events");
        app.jdbc().update("DELETE FROM skipped_messages");
        TestServices.clearDeadLetters();
    }

    @Test
    void referenceScenarioStoresFourAndSkipsTwo() throws Exception {
        Path dir = TestCases.dir("payments/scenario");
        for (String line : Files.readAllLines(dir.resolve("messages.jsonl"))) {
            TestServices.publishRaw(queue, line.getBytes(StandardCharsets.UTF_8));
        }
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(rows("payment_events")).containsExactlyInAnyOrderElementsOf(expectedRows(expected, "payment_events"));
            assertThat(rows("skipped_messages")).containsExactlyInAnyOrderElementsOf(expectedRows(expected, "skipped_messages"));
        });
        assertThat(TestServices.deadLetters("payments")).isEmpty();
        assertThat(TestServices.queueDepth(queue)).isZero();
    }

    @Test
    void thirdCopyOfAPaymentIsCountedNotStoredAgain() {
        for (int i = 0; i < 3; i++) {
            TestServices.publishRaw(queue, "{\"user_id\": 5, \"payment_id\": 50, \"deposit_amount\": 1.25}".getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(rows("payment_events")).containsExactly(List.of(5L, 50L, new BigDecimal("1.25")));
            assertThat(rows("skipped_messages")).containsExactly(List.of(5L, 50L, new BigDecimal("1.25")));
            assertThat(TestServices.queueDepth(queue)).isZero();
        });
        assertThat(app.get("/metrics").body())
                .containsPattern("messages_processed_total\\{outcome=\"duplicate\",pipeline=\"payments\",type=\"payment\"} [2-9]");
    }

    static Stream<String> deadLetterCases() {
        return TestCases.names("payments/dead-letters");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deadLetterCases")
    void invalidMessageIsDeadLetteredWithItsExactPayload(String name) throws Exception {
        Path dir = TestCases.dir("payments/dead-letters/" + name);
        byte[] payload = Files.readAllBytes(dir.resolve("message.txt"));
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        Instant before = Instant.now().minusSeconds(1);
        double deadLetteredBefore = metric(DEAD_LETTERED);
        double dlqBefore = metric(DLQ_COUNT);

        TestServices.publishRaw(queue, payload);

        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("payments").size() == 1);
        JsonNode letter = JSON.readTree(TestServices.deadLetters("payments").get(0));
        assertThat(letter.get("payload").asText()).isEqualTo(new String(payload, StandardCharsets.UTF_8));
        assertThat(letter.get("pipeline").asText()).isEqualTo("payments");
        assertThat(letter.get("routeId").asText()).isEqualTo("payments.consume");
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
        assertThat(letter.get("source").get("queue").asText()).isEqualTo(queue);
        assertThat(Instant.parse(letter.get("failedAt").asText())).isAfter(before);
        assertThat(letter.get("error").get("type").asText()).isEqualTo(expected.get("type").asText());
        assertThat(letter.get("error").get("message").asText()).contains(expected.get("message").asText());
        if (expected.get("field").isNull()) {
            assertThat(letter.get("error").has("field")).isFalse();
        } else {
            assertThat(letter.get("error").get("field").asText()).isEqualTo(expected.get("field").asText());
        }
        assertThat(letter.get("eventId").isNull() ? null : letter.get("eventId").asText())
                .isEqualTo(expected.has("eventId") ? expected.get("eventId").asText() : null);
        assertThat(rows("payment_events")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == 0);
        assertThat(metric(DEAD_LETTERED)).isEqualTo(deadLetteredBefore + 1);
        assertThat(metric(DLQ_COUNT)).isEqualTo(dlqBefore + 1);
    }

    private static final String DEAD_LETTERED =
            "messages_processed_total{outcome=\"dead_lettered\",pipeline=\"payments\",type=\"payment\"} ";
    private static final String DLQ_COUNT = "dlq_count_total{pipeline=\"payments\"} ";

    /** A counter's value on /metrics (0 when not there yet). */
    private double metric(String prefix) {
        return app.get("/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(0);
    }

    @Test
    void connectionDroppedAfterCommitRedeliversAndStoresOnce() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        AtomicBoolean sawRedelivery = new AtomicBoolean();
        // After the batch's commit and before its ack, kill the channel once: the broker redelivers it.
        AdviceWith.adviceWith(app.context(), "payments.consume", route -> route.weaveAddLast().process(batch -> {
            for (Object item : batch.getMessage().getBody(List.class)) {
                Exchange record = (Exchange) item;
                if (record.getProperty("outcome") == null) {
                    continue;
                }
                if (Boolean.TRUE.equals(record.getMessage().getHeader("CamelSpringRabbitmqRedelivered", Boolean.class))) {
                    sawRedelivery.set(true);
                }
                if (deliveries.incrementAndGet() == 1) {
                    batch.getProperty("CamelSpringRabbitmqChannel", com.rabbitmq.client.Channel.class).abort();
                }
            }
        }));
        try {
            TestServices.publishRaw(queue, "{\"user_id\": 7, \"payment_id\": 70, \"deposit_amount\": 7}".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(deliveries).hasValue(2);
                assertThat(sawRedelivery).isTrue();
                assertThat(TestServices.queueDepth(queue)).isZero();
            });
            assertThat(rows("payment_events")).containsExactly(List.of(7L, 70L, new BigDecimal("7")));
            assertThat(rows("skipped_messages")).isEmpty();
        } finally {
            AdviceWith.adviceWith(app.context(), "payments.consume", route -> route.weaveByType(
                    org.apache.camel.model.ProcessDefinition.class).selectLast().remove());
        }
    }

    @Test
    void aBatchWhoseRouteFailsIsRequeuedWholeAndStoredOnce() throws Exception {
        AtomicInteger batches = new AtomicInteger();
        // The batch's transaction commits, then the route fails (as it can only while stopping): the
        // consumer must not ack; the broker redelivers the batch and the redelivery is a no-op.
        AdviceWith.adviceWith(app.context(), "payments.consume", route -> route.weaveAddLast().process(batch -> {
            if (batches.incrementAndGet() == 1) {
                throw new IllegalStateException("route failed after the commit");
            }
        }));
        try {
            TestServices.publishRaw(queue, "{\"user_id\": 8, \"payment_id\": 80, \"deposit_amount\": 8}".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(batches.get()).isGreaterThanOrEqualTo(2);
                assertThat(TestServices.queueDepth(queue)).isZero();
            });
            assertThat(rows("payment_events")).containsExactly(List.of(8L, 80L, new BigDecimal("8")));
            assertThat(rows("skipped_messages")).isEmpty();
            assertThat(TestServices.deadLetters("payments")).isEmpty();
        } finally {
            AdviceWith.adviceWith(app.context(), "payments.consume", route -> route.weaveByType(
                    org.apache.camel.model.ProcessDefinition.class).selectLast().remove());
        }
    }

    @Test
    void aRedeliveredBatchStillRecordsItsRealDuplicatesInSkippedMessages() throws Exception {
        // Queued while the consumer is stopped, so they come as one batch: payment 120 twice with other
        // amounts, payment 121 published twice as is. Both second copies are real duplicates.
        app.context().getRouteController().stopRoute("payments.consume");
        for (String body : List.of("{\"user_id\": 12, \"payment_id\": 120, \"deposit_amount\": 1}",
                "{\"user_id\": 12, \"payment_id\": 120, \"deposit_amount\": 2}",
                "{\"user_id\": 12, \"payment_id\": 121, \"deposit_amount\": 3}",
                "{\"user_id\": 12, \"payment_id\": 121, \"deposit_amount\": 3}")) {
            TestServices.publishRaw(queue, body.getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == 4);
        AtomicInteger batches = new AtomicInteger();
        // The first delivery fails before anything is written (as when the database is unreachable at
        // the start): the batch comes back whole, every message flagged redelivered.
        AdviceWith.adviceWith(app.context(), "payments.consume", route -> route.weaveAddFirst().process(batch -> {
            if (batches.incrementAndGet() == 1) {
                throw new IllegalStateException("failed before the transaction");
            }
        }));
        try {
            app.context().getRouteController().startRoute("payments.consume");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(batches.get()).isGreaterThanOrEqualTo(2);
                assertThat(TestServices.queueDepth(queue)).isZero();
                assertThat(rows("payment_events")).containsExactlyInAnyOrder(
                        List.of(12L, 120L, new BigDecimal("1")), List.of(12L, 121L, new BigDecimal("3")));
                assertThat(rows("skipped_messages")).containsExactlyInAnyOrder(
                        List.of(12L, 120L, new BigDecimal("2")), List.of(12L, 121L, new BigDecimal("3")));
            });
            assertThat(TestServices.deadLetters("payments")).isEmpty();
        } finally {
            AdviceWith.adviceWith(app.context(), "payments.consume", route -> route.weaveByType(
                    org.apache.camel.model.ProcessDefinition.class).selectFirst().remove());
        }
    }

    @Test
    void aRowTheDatabaseRefusesIsDeadLetteredAloneAndTheRestOfItsBatchIsStored() throws Exception {
        // A real refusal from the database (not from validation): a CHECK on one payment id.
        app.jdbc().execute("ALTER TABLE payment_events ADD CONSTRAINT refuse_666 CHECK (payment_id <> 666)");
        try {
            // Queue them while the consumer is stopped, so they come back as one batch.
            app.context().getRouteController().stopRoute("payments.consume");
            for (long id : new long[] {661, 662, 666, 663, 664}) {
                TestServices.publishRaw(queue, ("{\"user_id\": 6, \"payment_id\": " + id + ", \"deposit_amount\": 6}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == 5);
            app.context().getRouteController().startRoute("payments.consume");

            await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("payments").size() == 1);
            JsonNode letter = JSON.readTree(TestServices.deadLetters("payments").get(0));
            assertThat(letter.get("eventId").asText()).isEqualTo("666");
            assertThat(letter.get("routeId").asText()).isEqualTo("payments.consume");
            assertThat(letter.get("error").get("type").asText()).isEqualTo("PermanentFailure");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(rows("payment_events")).extracting(row -> row.get(1))
                        .containsExactlyInAnyOrder(661L, 662L, 663L, 664L);
                assertThat(TestServices.queueDepth(queue)).isZero();
            });
            assertThat(rows("skipped_messages")).isEmpty();
        } finally {
            app.jdbc().execute("ALTER TABLE payment_events DROP CONSTRAINT refuse_666");
        }
    }

    @Test
    void httpPostPublishesAndTheConsumerStores() throws Exception {
        var accepted = app.post("/payments", "{\"user_id\": 3, \"payment_id\": 30, \"deposit_amount\": 99.95}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).get("payment_id").asLong()).isEqualTo(30);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(rows("payment_events")).containsExactly(List.of(3L, 30L, new BigDecimal("99.95"))));
    }

    @Test
    void httpPostRejectsBadBodyNamingTheFieldAndPublishesNothing() throws Exception {
        var rejected = app.post("/payments", "{\"user_id\": 3, \"payment_id\": -1, \"deposit_amount\": 1}");
        assertThat(rejected.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(rejected.body());
        assertThat(body.get("field").asText()).isEqualTo("payment_id");
        assertThat(body.get("error").asText()).isNotBlank();
        assertThat(TestServices.queueDepth(queue)).isZero();
        assertThat(rows("payment_events")).isEmpty();
        assertThat(TestServices.deadLetters("payments")).isEmpty();
    }

    private List<List<Object>> rows(String table) {
        List<List<Object>> result = new ArrayList<>();
        for (Map<String, Object> row : app.rows("SELECT user_id, payment_id, deposit_amount FROM " + table)) {
            result.add(List.of(((Number) row.get("user_id")).longValue(), ((Number) row.get("payment_id")).longValue(),
                    ((BigDecimal) row.get("deposit_amount")).stripTrailingZeros()));
        }
        return result;
    }

    private static List<List<Object>> expectedRows(JsonNode expected, String table) {
        List<List<Object>> result = new ArrayList<>();
        for (JsonNode row : expected.get(table)) {
            result.add(List.of(row.get(0).asLong(), row.get(1).asLong(), new BigDecimal(row.get(2).asText()).stripTrailingZeros()));
        }
        return result;
    }
}
