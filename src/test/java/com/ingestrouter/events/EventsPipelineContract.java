package com.ingestrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestCases;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The events pipeline in brokers mode against a real KRaft broker, Redis and RabbitMQ, on one SQL
 * database per subclass. Cases under src/test/resources/events/: {@code cases/<name>} (events posted to
 * /produce or bytes written straight to Kafka, with the expected rows, outcomes, dead letters and read
 * API answers) and {@code rejected/<name>} (a request body and the expected 400).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EventsPipelineContract {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PARTITIONS = 2;
    static final long RETRY_WINDOW_MS = 6_000;
    static final String ADMIN_TOKEN = "events-admin";
    private static final Pattern PROCESSED = Pattern.compile(
            "messages_processed_total\\{outcome=\"(\\w+)\",pipeline=\"events\",type=\"\\w+\"} ([0-9.]+)");
    private static final List<String> TABLES = List.of("order_items", "payments", "orders", "users",
            "inventory_adjustments", "inventory", "product_reviews", "processed_events");

    RunningApp app;
    String topic;
    String group;

    abstract TestDatabase database();

    @BeforeAll
    void startApp() {
        topic = TestKafka.freshTopic("events");
        group = topic + "-group";
        app = RunningApp.builder(Mode.BROKERS)
                .database(database(), "events")
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", "events-suite-payments")
                .property("ingest.kafka.brokers", TestKafka.brokers())
                .property("ingest.events.topic", topic)
                .property("ingest.events.group-id", group)
                .property("ingest.events.partitions", PARTITIONS)
                .property("ingest.events.consumers", PARTITIONS)
                .property("ingest.events.poll-timeout-ms", 200)
                .property("ingest.events.session-timeout-ms", TestKafka.sessionTimeout().toMillis())
                .property("ingest.retry.missing-parent-window-ms", RETRY_WINDOW_MS)
                .property("ingest.retry.missing-parent-interval-ms", 300)
                .property("ingest.http.max-body-bytes", 4096)
                .property("ingest.admin.token", ADMIN_TOKEN)
                .start();
    }

    @AfterAll
    void stopApp() {
        app.close();
        TestServices.deleteQueue("events-suite-payments");
    }

    @BeforeEach
    void clean() {
        TABLES.forEach(t -> app.jdbc().update("DELETE FROM " + t));
        TestServices.clearDeadLetters();
    }

    static Stream<String> cases() {
        return TestCases.names("events/cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseEndsWithTheExpectedRowsOutcomesDeadLettersAndReads(String name) throws Exception {
        Path dir = TestCases.dir("events/cases/" + name);
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        Map<String, Double> before = outcomes();

        List<Long> offsets = new ArrayList<>();
        if (Files.exists(dir.resolve("produce.jsonl"))) {
            for (String line : Files.readAllLines(dir.resolve("produce.jsonl"))) {
                HttpResponse<String> accepted = app.post("/produce", line);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                JsonNode answer = JSON.readTree(accepted.body());
                assertThat(answer.get("eventId").asText()).isEqualTo(JSON.readTree(line).get("eventId").asText());
                assertThat(answer.get("topic").asText()).isEqualTo(topic);
                assertThat(answer.get("partition").isInt()).as(accepted.body()).isTrue();
                assertThat(answer.get("partition").asInt()).isBetween(0, PARTITIONS - 1);
                assertThat(answer.get("offset").isIntegralNumber()).as(accepted.body()).isTrue();
                offsets.add(answer.get("offset").asLong());
            }
        }
        byte[] raw = Files.exists(dir.resolve("kafka.txt")) ? Files.readAllBytes(dir.resolve("kafka.txt")) : null;
        var written = raw == null ? null : TestKafka.send(topic, null, raw);
        List<String> lines = List.of();
        if (Files.exists(dir.resolve("kafka.jsonl"))) {
            // One key, so one partition: the records arrive together and are written as one batch.
            lines = Files.readAllLines(dir.resolve("kafka.jsonl"));
            TestKafka.sendAll(topic, lines.stream()
                    .map(l -> Map.entry("one-partition", l.getBytes(StandardCharsets.UTF_8))).toList());
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(diff(before, outcomes())).isEqualTo(expectedOutcomes(expected.get("outcomes")));
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("rows").fields(); it.hasNext(); ) {
                var query = it.next();
                assertThat(rows(query.getKey())).as(query.getKey()).isEqualTo(expectedRows(query.getValue()));
            }
        });

        List<String> letters = TestServices.deadLetters("events");
        JsonNode expectedLetters = expected.path("deadLetters");
        assertThat(letters).hasSize(expectedLetters.size());
        for (int i = 0; i < expectedLetters.size(); i++) {
            JsonNode letter = JSON.readTree(letters.get(i));
            JsonNode want = expectedLetters.get(i);
            assertThat(letter.get("pipeline").asText()).isEqualTo("events");
            assertThat(letter.get("eventId").isNull() ? null : letter.get("eventId").asText())
                    .isEqualTo(want.get("eventId").isNull() ? null : want.get("eventId").asText());
            assertThat(letter.get("error").get("type").asText()).isEqualTo(want.get("type").asText());
            assertThat(letter.get("error").get("message").asText().toLowerCase())
                    .contains(want.get("message").asText().toLowerCase());
            if (want.has("field")) {
                assertThat(letter.get("error").get("field").asText()).isEqualTo(want.get("field").asText());
            }
            JsonNode source = letter.get("source");
            assertThat(source.get("topic").asText()).isEqualTo(topic);
            assertThat(source.get("partition").asInt()).isBetween(0, PARTITIONS - 1);
            assertThat(source.get("offset").isNumber()).isTrue();
            if (!lines.isEmpty()) {
                assertThat(lines).contains(letter.get("payload").asText());
            }
            if (raw != null) {
                assertThat(letter.get("payload").asText()).isEqualTo(new String(raw, StandardCharsets.UTF_8));
                assertThat(source.get("partition").asInt()).isEqualTo(written.partition());
                assertThat(source.get("offset").asLong()).isEqualTo(written.offset());
            }
        }

        for (JsonNode read : expected.path("reads")) {
            HttpResponse<String> answer = app.get(read.get("path").asText());
            assertThat(answer.statusCode()).as(read.get("path").asText()).isEqualTo(read.get("status").asInt());
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
            assertThat(withoutUpdatedAt(JSON.readTree(answer.body()))).as(read.get("path").asText())
                    .isEqualTo(read.get("body"));
        }
    }

    static Stream<String> rejected() {
        return TestCases.names("events/rejected");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void badRequestIsRejectedNamingTheFieldAndNothingIsPublished(String name) throws Exception {
        Path dir = TestCases.dir("events/rejected/" + name);
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        long published = TestKafka.records(topic);

        HttpResponse<String> answer = app.post("/produce", Files.readString(dir.resolve("request.txt")));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expected.path("status").asInt(400));
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("error").asText()).contains(expected.get("error").asText());
        if (expected.get("field").isNull()) {
            assertThat(body.has("field")).isFalse();
        } else {
            assertThat(body.get("field").asText()).isEqualTo(expected.get("field").asText());
        }
        assertThat(TestKafka.records(topic)).isEqualTo(published);
        assertThat(rows("SELECT COUNT(*) FROM processed_events")).isEqualTo(List.of(List.of("0")));
    }

    @Test
    void orderIsStoredWhenItsUserArrivesWithinTheRetryWindow() throws Exception {
        // The order waits on one partition while its user arrives on the other (as on a real topic).
        String userId = "late-user";
        String orderId = pick("late-order-", TestKafka.partitionOf(userId, PARTITIONS));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.stable(group, PARTITIONS));
        Map<String, Double> before = outcomes();
        assertThat(app.post("/produce", orderJson("ev-late-o", orderId, userId)).statusCode()).isEqualTo(202);
        // The order is now being retried by events.record, inside the retry window.
        await().atMost(Duration.ofSeconds(10)).until(() -> app.context().getInflightRepository().size("events.record") > 0);
        assertThat(app.post("/produce", userJson("ev-late-u", userId, "late@example.com")).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(rows("SELECT order_id, user_id FROM orders")).isEqualTo(List.of(List.of(orderId, userId)));
            assertThat(diff(before, outcomes())).isEqualTo(Map.of("stored", 2.0));
        });
        assertThat(TestServices.deadLetters("events")).isEmpty();
    }

    @Test
    void deadLetteredOrderIsStoredByAReplayOnceItsUserExists() throws Exception {
        assertThat(app.post("/produce", orderJson("ev-replay-o", "replay-order", "replay-user")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("events").size() == 1);
        JsonNode letter = JSON.readTree(TestServices.deadLetters("events").get(0));
        assertThat(letter.get("error").get("type").asText()).isEqualTo("MissingParentException");
        // Retried every 300 ms for the 6 s window before it was dead-lettered.
        assertThat(letter.get("attempts").asInt()).isGreaterThan(5);

        // The operator fixes the cause: the user now exists.
        assertThat(app.post("/produce", userJson("ev-replay-u", "replay-user", "replay@example.com")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> !rows("SELECT user_id FROM users WHERE user_id = 'replay-user'").isEmpty());

        HttpResponse<String> replay = app.send(java.net.http.HttpRequest.newBuilder(app.uri("/dlq/events/replay"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + ADMIN_TOKEN));
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).get("replayed").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(rows("SELECT order_id, user_id FROM orders")).isEqualTo(List.of(List.of("replay-order", "replay-user"))));
        assertThat(TestServices.deadLetters("events")).isEmpty();
        // The replay went out under the original record's key (the dead letter kept it), so it lands on
        // the same partition as the order's other events and keeps their order.
        assertThat(letter.get("source").get("key").asText()).isNotBlank();
        assertThat(TestKafka.keysOf(topic, "ev-replay-o")).hasSize(2).allMatch(key -> key.equals(letter.get("source").get("key").asText()));
    }

    /** First, so "earliest" is this test's own records (the suite shares one topic). */
    @Test
    @Order(1)
    void inventoryReplayFromEarliestLeavesTheBalanceUnchanged() throws Exception {
        for (int i = 1; i <= 3; i++) {
            assertThat(app.post("/produce", "{\"eventId\":\"ev-replay-" + i + "\",\"type\":\"InventoryAdjusted\","
                    + "\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"sku\":\"replay-sku\",\"delta\":" + (i * 10) + "}}")
                    .statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                rows("SELECT quantity FROM inventory WHERE sku = 'replay-sku'").equals(List.of(List.of("60"))));
        long records = TestKafka.records(topic);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestKafka.committed(group) == records);
        Map<String, Double> before = outcomes();

        app.context().getRouteController().stopRoute("events.consume");
        TestKafka.resetToEarliest(group, topic);
        app.context().getRouteController().startRoute("events.consume");

        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed(group) == records);
        assertThat(diff(before, outcomes()).get("stored")).isNull();
        assertThat(diff(before, outcomes()).get("duplicate")).isEqualTo((double) records);
        assertThat(rows("SELECT quantity FROM inventory WHERE sku = 'replay-sku'")).isEqualTo(List.of(List.of("60")));
        assertThat(rows("SELECT COUNT(*) FROM inventory_adjustments")).isEqualTo(List.of(List.of("3")));
    }

    @Test
    void readApiAnswersJsonForErrorsAndLimits() throws Exception {
        for (int i = 1; i <= 7; i++) {
            app.post("/produce", userJson("ev-recent-" + i, "recent-" + i, "r" + i + "@example.com")
                    .replace("2026-03-01T10:00:00Z", "2026-03-0" + i + "T10:00:00Z"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("SELECT COUNT(*) FROM users").equals(List.of(List.of("7"))));

        JsonNode recent = JSON.readTree(app.get("/users/recent").body());
        assertThat(recent).hasSize(5);
        assertThat(recent.get(0).get("userId").asText()).isEqualTo("recent-7");
        assertThat(JSON.readTree(app.get("/users/recent?limit=2").body())).hasSize(2);
        assertThat(JSON.readTree(app.get("/users/recent?limit=1000").body())).hasSize(7);
        HttpResponse<String> badLimit = app.get("/users/recent?limit=abc");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badLimit.body()).get("field").asText()).isEqualTo("limit");

        HttpResponse<String> delete = app.send(HttpRequest.newBuilder(app.uri("/users/recent-1")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
        assertThat(JSON.readTree(delete.body()).get("error").asText()).contains("DELETE");
        HttpResponse<String> getProduce = app.get("/produce");
        assertThat(getProduce.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(getProduce.body()).get("error").asText()).contains("POST");

        assertThat(app.get("/metrics").body())
                .contains("http_requests_total{method=\"GET\",path=\"/users/{id}\",status=\"200\"}")
                .contains("http_requests_total{method=\"POST\",path=\"/produce\",status=\"202\"}")
                .contains("events_produced_total{type=\"UserCreated\"}")
                .contains("http_latency_seconds_bucket")
                .contains("db_latency_seconds_bucket");
    }

    @Test
    void healthReportsKafka() throws Exception {
        JsonNode health = JSON.readTree(app.get("/health").body());
        assertThat(health.get("checks").get("kafka").get("status").asText()).isEqualTo("UP");
    }

    // --- helpers ------------------------------------------------------------------------------------

    static String userJson(String eventId, String userId, String email) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"UserCreated\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                + "\"data\":{\"userId\":\"" + userId + "\",\"email\":\"" + email + "\",\"name\":\"N\","
                + "\"createdAt\":\"2026-03-01T10:00:00Z\"}}";
    }

    static String orderJson(String eventId, String orderId, String userId) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"OrderPlaced\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                + "\"data\":{\"orderId\":\"" + orderId + "\",\"userId\":\"" + userId + "\",\"total\":1}}";
    }

    /** A key that lands on another partition than {@code avoid}. */
    private static String pick(String prefix, int avoid) {
        for (int i = 0; ; i++) {
            if (TestKafka.partitionOf(prefix + i, PARTITIONS) != avoid) {
                return prefix + i;
            }
        }
    }

    Map<String, Double> outcomes() {
        Map<String, Double> sums = new HashMap<>();
        Matcher m = PROCESSED.matcher(app.get("/metrics").body());
        while (m.find()) {
            sums.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return sums;
    }

    static Map<String, Double> diff(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> d = new HashMap<>();
        after.forEach((k, v) -> {
            double delta = v - before.getOrDefault(k, 0.0);
            if (delta != 0) {
                d.put(k, delta);
            }
        });
        return d;
    }

    private static Map<String, Double> expectedOutcomes(JsonNode node) {
        Map<String, Double> m = new HashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asDouble()));
        return m;
    }

    /** Rows as strings, numbers without trailing zeros, so every database compares the same. */
    List<List<String>> rows(String sql) {
        List<List<String>> result = new ArrayList<>();
        for (Map<String, Object> row : app.rows(sql)) {
            List<String> values = new ArrayList<>();
            row.values().forEach(v -> values.add(cell(v)));
            result.add(values);
        }
        return result;
    }

    private static String cell(Object v) {
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        return v == null ? null : v.toString().trim();
    }

    private static List<List<String>> expectedRows(JsonNode rows) {
        List<List<String>> result = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> values = new ArrayList<>();
            row.forEach(v -> values.add(v.isNumber() ? v.decimalValue().stripTrailingZeros().toPlainString()
                    : v.isNull() ? null : v.asText()));
            result.add(values);
        }
        return result;
    }

    private static JsonNode withoutUpdatedAt(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).remove("updatedAt");
        }
        node.forEach(EventsPipelineContract::withoutUpdatedAt);
        return node;
    }
}
