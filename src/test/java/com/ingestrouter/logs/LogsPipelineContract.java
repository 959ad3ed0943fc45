package com.ingestrouter.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestCases;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The logs pipeline against real RabbitMQ and Redis, on one SQL database per subclass: records go in
 * over HTTP, rows are read back with the suite's own JDBC connection and compared as JSON values with
 * what was sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogsPipelineContract {
    /** Numbers compared by value (1.50 = 1.5, -3e2 = -300): jsonb and H2 normalise them, as JSON allows. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };
    private static final int MAX_RECORD_BYTES = 2048;
    private RunningApp app;
    private String queue;
    private String paymentsQueue;

    abstract TestDatabase database();

    @BeforeAll
    void startApp() {
        queue = TestServices.freshQueue("logs");
        // The app consumes every pipeline's queue: keep it off the shared default ones.
        paymentsQueue = TestServices.freshQueue("payments");
        app = RunningApp.builder(Mode.BROKERS)
                .database(database(), "logs")
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.logs.queue", queue)
                .property("ingest.payments.queue", paymentsQueue)
                .property("ingest.logs.max-record-bytes", MAX_RECORD_BYTES)
                .property("ingest.admin.token", "logs-admin")
                .start();
    }

    @AfterAll
    void stopApp() {
        app.close();
        TestServices.deleteQueue(queue);
        TestServices.deleteQueue(paymentsQueue);
    }

    @BeforeEach
    void clean() {
        app.jdbc().update("DELETE FROM logs");
        TestServices.clearDeadLetters();
    }

    static Stream<String> records() {
        return TestCases.names("logs/records");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void postedRecordIsStoredAndServedAsTheSameJsonValue(String name) throws Exception {
        Path dir = TestCases.dir("logs/records/" + name);
        String record = Files.readString(dir.resolve("record.json"), StandardCharsets.UTF_8);
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());

        HttpResponse<String> accepted = app.post("/log", record);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);

        await().atMost(Duration.ofSeconds(30)).until(() -> stored().containsKey(id));
        List<String> row = stored().get(id);
        assertSameJson(row.get(0), record);
        assertThat(row.get(1)).isEqualTo(expected.get("level").isNull() ? null : expected.get("level").asText());

        HttpResponse<String> byId = app.get("/logs/" + id);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(byId.headers().firstValue("Content-Type")).hasValue("application/json");
        assertSameJson(byId.body(), record);

        JsonNode listed = JSON.readTree(app.get("/logs").body());
        assertThat(listed.get("count").asLong()).isEqualTo(1);
        assertThat(listed.get("logs").get(0).get("id").asText()).isEqualTo(id);
        assertThat(listed.get("logs").get(0).get("data").equals(SAME_VALUE, JSON.readTree(record))).isTrue();
        assertThat(TestServices.deadLetters("logs")).isEmpty();
    }

    static Stream<String> badRequests() {
        return TestCases.names("logs/bad-requests");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIsRefusedWithJsonErrorAndNothingPublished(String name) throws Exception {
        Path dir = TestCases.dir("logs/bad-requests/" + name);
        byte[] body = Files.readAllBytes(dir.resolve("body.txt"));
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());

        HttpResponse<String> rejected = app.send(HttpRequest.newBuilder(app.uri("/log"))
                .header("Content-Type", expected.get("contentType").asText())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(rejected.statusCode()).isEqualTo(expected.path("status").asInt(400));
        assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(rejected.body()).get("error").asText()).contains(expected.get("error").asText());
        assertThat(TestServices.queueDepth(queue)).isZero();
        assertThat(stored()).isEmpty();
    }

    @Test
    void redeliveryAfterTheCommitStoresOnce() throws Exception {
        AtomicBoolean dropped = new AtomicBoolean();
        // After the row is committed and before the ack, kill the channel once: the broker redelivers.
        AdviceWith.adviceWith(app.context(), "logs.consume", route -> route.weaveAddLast().process(exchange -> {
            if (dropped.compareAndSet(false, true)) {
                // camel-spring-rabbitmq keeps the channel as an exchange property, not a header.
                exchange.getProperty("CamelSpringRabbitmqChannel", com.rabbitmq.client.Channel.class).abort();
            }
        }));
        try {
            String record = "{\"level\":\"warn\",\"msg\":\"delivered twice\"}";
            String id = JSON.readTree(app.post("/log", record).body()).get("id").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(dropped).isTrue();
                assertThat(TestServices.queueDepth(queue)).isZero();
                assertThat(app.get("/metrics").body())
                        .containsPattern("messages_processed_total\\{outcome=\"duplicate\",pipeline=\"logs\",type=\"log\"} [1-9]");
            });
            assertThat(stored()).containsOnlyKeys(id);
            assertSameJson(stored().get(id).get(0), record);
            assertThat(TestServices.deadLetters("logs")).isEmpty();
        } finally {
            AdviceWith.adviceWith(app.context(), "logs.consume", route -> route.weaveByType(
                    org.apache.camel.model.ProcessDefinition.class).selectLast().remove());
        }
    }

    @Test
    void recordTheDatabaseRefusesIsDeadLetteredWithItsExactPayload() throws Exception {
        // Accepted at the edge (any JSON object), refused by the level column (64 characters).
        String record = "{ \"level\" : \"" + "x".repeat(100) + "\",\n  \"msg\": \"naïve ✓\" }";
        String id = JSON.readTree(app.post("/log", record).body()).get("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("logs").size() == 1);
        JsonNode letter = JSON.readTree(TestServices.deadLetters("logs").get(0));
        assertThat(letter.get("payload").asText()).isEqualTo(record);
        assertThat(letter.get("eventId").asText()).isEqualTo(id);
        assertThat(letter.get("pipeline").asText()).isEqualTo("logs");
        assertThat(letter.get("routeId").asText()).isEqualTo("logs.consume");
        assertThat(letter.get("source").get("queue").asText()).isEqualTo(queue);
        assertThat(letter.get("error").get("type").asText()).isEqualTo("PermanentFailure");
        assertThat(stored()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == 0);
    }

    @Test
    void replayedRecordKeepsItsIdAndComesBackWithAttemptsIncremented() throws Exception {
        String record = "{\"level\": \"" + "y".repeat(100) + "\", \"msg\": \"replay me\"}";
        String id = JSON.readTree(app.post("/log", record).body()).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("logs").size() == 1);

        var replay = app.send(java.net.http.HttpRequest.newBuilder(app.uri("/dlq/logs/replay"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer logs-admin"));
        assertThat(JSON.readTree(replay.body()).get("replayed").asInt()).as(replay.body()).isEqualTo(1);

        // Still refused by the database, but as the same record: same id, one more attempt.
        // ignoreExceptions: between the re-publish and the removal of the old entry the list may be empty.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                JSON.readTree(TestServices.deadLetters("logs").get(0)).get("attempts").asInt() == 2);
        JsonNode again = JSON.readTree(TestServices.deadLetters("logs").get(0));
        assertThat(TestServices.deadLetters("logs")).hasSize(1);
        assertThat(again.get("eventId").asText()).isEqualTo(id);
        assertThat(again.get("payload").asText()).isEqualTo(record);
        assertThat(again.get("error").get("type").asText()).isEqualTo("PermanentFailure");
    }

    @Test
    void aRecordThatIsNotJsonIsDeadLetteredUnderItsMessageIdSoAReplayKeepsIt() throws Exception {
        String id = java.util.UUID.randomUUID().toString();
        byte[] payload = "level=ERROR not json".getBytes(StandardCharsets.UTF_8);
        TestServices.publishRaw(queue, payload, id);

        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("logs").size() == 1);
        JsonNode letter = JSON.readTree(TestServices.deadLetters("logs").get(0));
        assertThat(letter.get("payload").asText()).isEqualTo(new String(payload, StandardCharsets.UTF_8));
        assertThat(letter.get("eventId").asText()).isEqualTo(id);
        assertThat(letter.get("error").get("message").asText()).contains("invalid JSON");
        assertThat(stored()).isEmpty();
    }

    @Test
    void messageWithoutAnIdIsDeadLetteredNotGivenOne() throws Exception {
        byte[] payload = "{\"msg\":\"published around the HTTP edge\"}".getBytes(StandardCharsets.UTF_8);
        TestServices.publishRaw(queue, payload);

        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("logs").size() == 1);
        JsonNode letter = JSON.readTree(TestServices.deadLetters("logs").get(0));
        assertThat(letter.get("payload").asText()).isEqualTo(new String(payload, StandardCharsets.UTF_8));
        assertThat(letter.get("error").get("field").asText()).isEqualTo("id");
        assertThat(stored()).isEmpty();
    }

    @Test
    void listIsNewestFirstFilteredByLevelAndSinceAndPaged() throws Exception {
        String first = postAndWait("{\"level\":\"info\",\"n\":1}");
        String second = postAndWait("{\"level\":\"ERROR\",\"n\":2}");
        String third = postAndWait("{\"level\":\"error\",\"n\":3}");

        JsonNode all = JSON.readTree(app.get("/logs").body());
        assertThat(ids(all)).containsExactly(third, second, first);
        assertThat(all.get("limit").asInt()).isEqualTo(50);

        JsonNode errors = JSON.readTree(app.get("/logs?level=Error").body());
        assertThat(ids(errors)).containsExactly(third, second);
        assertThat(errors.get("count").asLong()).isEqualTo(2);

        JsonNode page = JSON.readTree(app.get("/logs?limit=1&offset=1").body());
        assertThat(ids(page)).containsExactly(second);
        assertThat(page.get("count").asLong()).isEqualTo(3);

        String thirdAt = all.get("logs").get(0).get("inserted_at").asText();
        assertThat(ids(JSON.readTree(app.get("/logs?since=" + thirdAt).body()))).containsExactly(third);
        assertThat(ids(JSON.readTree(app.get("/logs?since=2999-01-01T00:00:00Z").body()))).isEmpty();

        for (String bad : List.of("limit=0", "limit=501", "limit=x", "offset=-1", "since=yesterday")) {
            HttpResponse<String> answer = app.get("/logs?" + bad);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("field").asText()).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }
        assertThat(app.get("/logs/not-a-uuid").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = app.get("/logs/" + UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("error").asText()).contains("not found");
    }

    private String postAndWait(String record) throws Exception {
        HttpResponse<String> accepted = app.post("/log", record);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored().containsKey(id));
        return id;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new java.util.ArrayList<>();
        page.get("logs").forEach(log -> ids.add(log.get("id").asText()));
        return ids;
    }

    /** id -> [data as text, level], read with the suite's own connection. */
    private Map<String, List<String>> stored() {
        Map<String, List<String>> rows = new HashMap<>();
        app.jdbc().query("SELECT id, data, level FROM logs", rs -> {
            rows.put(UUID.fromString(rs.getString(1).trim()).toString(),
                    java.util.Arrays.asList(rs.getString(2), rs.getString(3)));
        });
        return rows;
    }

    private static void assertSameJson(String actual, String expected) throws Exception {
        JsonNode a = JSON.readTree(actual);
        JsonNode e = JSON.readTree(expected);
        assertThat(a.equals(SAME_VALUE, e)).as("stored %s, sent %s", actual, expected).isTrue();
    }
}
