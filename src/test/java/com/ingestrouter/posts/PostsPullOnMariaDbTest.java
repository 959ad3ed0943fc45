package com.ingestrouter.posts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.StubApi;
import com.ingestrouter.support.StubApi.Reply;
import com.ingestrouter.support.TestCases;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The posts pull on MariaDB in brokers mode (dead letters in Redis), against a stub API on 127.0.0.1.
 * The schedule is 1 h, so after the start-up run every run here is one POST /posts/ingest; retries are
 * 20 ms apart and the HTTP timeout 500 ms to keep the suite fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostsPullOnMariaDbTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StubApi stub = new StubApi();
    /** With a query string, as real sources have (jsonplaceholder's _limit, a filter): sent as is. */
    private static final String QUERY = "_limit=100&userId=1&tag=a%26b";
    private RunningApp app;
    private String paymentsQueue;
    private String logsQueue;

    @BeforeAll
    void startApp() {
        stub.reply(Reply.json(posts(1, 3)));
        paymentsQueue = TestServices.freshQueue("payments");
        logsQueue = TestServices.freshQueue("logs");
        app = RunningApp.builder(Mode.BROKERS)
                .database(TestDatabase.MARIADB, "posts")
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", paymentsQueue)
                .property("ingest.logs.queue", logsQueue)
                .property("ingest.posts.enabled", "true")
                .property("ingest.posts.url", source())
                .property("ingest.posts.interval", "1h")
                .property("ingest.posts.retry-delay-ms", "20")
                .property("ingest.posts.retry-max-delay-ms", "2000")
                .property("ingest.pull.timeout-ms", "500")
                .start();
        // The first run happens at start-up.
        await().atMost(Duration.ofSeconds(30)).until(() -> runs().stream().anyMatch(r -> "success".equals(r.get("status"))));
    }

    private String source() {
        return stub.url("/posts") + "?" + QUERY;
    }

    @AfterAll
    void stopApp() {
        app.close();
        stub.close();
        TestServices.deleteQueue(paymentsQueue);
        TestServices.deleteQueue(logsQueue);
    }

    @BeforeEach
    void clean() {
        app.jdbc().update("DELETE FROM posts");
        app.jdbc().update("DELETE FROM ingestion_runs");
        TestServices.clearDeadLetters();
    }

    @Test
    void successfulRunStoresEveryPostAndARerunUpdatesWithoutDuplicates() throws Exception {
        stub.reply(Reply.json(posts(1, 5)));
        JsonNode run = ingest(200);
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("records").asInt()).isEqualTo(5);
        assertThat(stub.calls()).isEqualTo(1);
        assertThat(app.rows("SELECT id, user_id, title, body, source FROM posts ORDER BY id")).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 5).mapToObj(i -> Map.<String, Object>of("id", (long) i, "user_id", (long) (i % 3 + 1),
                        "title", "title " + i, "body", "body " + i, "source", source())).toList());

        ArrayNode changed = (ArrayNode) JSON.readTree(posts(1, 5));
        ((ObjectNode) changed.get(1)).put("title", "title 2, edited");
        stub.reply(Reply.json(changed.toString()));
        assertThat(ingest(200).get("records").asInt()).isEqualTo(5);
        assertThat(app.rows("SELECT COUNT(*) AS n FROM posts").get(0).get("n")).isEqualTo(5L);
        assertThat(app.rows("SELECT title FROM posts WHERE id = 2").get(0).get("title")).isEqualTo("title 2, edited");

        List<Map<String, Object>> runs = runs();
        assertThat(runs).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("success");
            assertThat(r.get("records")).isEqualTo(5);
            assertThat(r.get("finished_at")).isNotNull();
            assertThat(r.get("error")).isNull();
        });
        JsonNode status = JSON.readTree(app.get("/status").body());
        assertThat(status.get("status").asText()).isEqualTo("success");
        assertThat(status.get("records_ingested").asInt()).isEqualTo(5);
        assertThat(status.get("last_successful_run").asText()).isNotBlank();
        assertThat(status.get("last_attempt").asText()).isNotBlank();
        assertThat(TestServices.deadLetters("posts")).isEmpty();
    }

    @Test
    void twoServerErrorsThenSuccessTakeExactlyThreeCalls() throws Exception {
        stub.reply(Reply.json(posts(1, 2)), Reply.status(500), Reply.status(503));
        JsonNode run = ingest(200);
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(stub.calls()).isEqualTo(3);
        // The source's query reaches it unchanged, and camel-http's own options stay out of it (they
        // once landed in the last parameter, and the 5xx answers then threw instead of being retried).
        assertThat(stub.queries()).containsOnly(QUERY);
        assertThat(app.rows("SELECT COUNT(*) AS n FROM posts").get(0).get("n")).isEqualTo(2L);
        assertThat(runs()).singleElement().satisfies(r -> assertThat(r.get("status")).isEqualTo("success"));
    }

    @Test
    void sourceThatAlwaysFailsFailsTheRunAfterThreeAttemptsAndStatusSaysSo() throws Exception {
        stub.reply(Reply.json(posts(1, 4)));
        String lastSuccess = ingest(200).get("finished_at").asText();

        stub.reply(Reply.status(500));
        JsonNode run = ingest(502);
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error").asText()).startsWith("failed after 3 attempts").contains("HTTP 500");
        assertThat(stub.calls()).isEqualTo(3);

        Map<String, Object> recorded = runs().get(1);
        assertThat(recorded.get("status")).isEqualTo("failed");
        assertThat((String) recorded.get("error")).startsWith("failed after 3 attempts");
        assertThat(recorded.get("finished_at")).isNotNull();

        JsonNode status = JSON.readTree(app.get("/status").body());
        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("error").asText()).startsWith("failed after 3 attempts");
        assertThat(status.get("last_successful_run").asText()).isEqualTo(lastSuccess);
        assertThat(status.get("records_ingested").asInt()).isEqualTo(4);
        assertThat(app.rows("SELECT COUNT(*) AS n FROM posts").get(0).get("n")).isEqualTo(4L);
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        stub.reply(Reply.json(posts(1, 1)), Reply.status(429).header("Retry-After", "1"));
        assertThat(ingest(200).get("status").asText()).isEqualTo("success");
        assertThat(stub.calls()).isEqualTo(2);
        List<java.time.Instant> times = stub.callTimes();
        assertThat(Duration.between(times.get(0), times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void timeoutIsRetriedThenFailsTheRun() throws Exception {
        stub.reply(Reply.json(posts(1, 1)).delayed(Duration.ofSeconds(5)));
        JsonNode run = ingest(502);
        assertThat(run.get("error").asText()).startsWith("failed after 3 attempts: timeout");
        assertThat(stub.calls()).isEqualTo(3);
        assertThat(runs()).singleElement().satisfies(r -> assertThat(r.get("status")).isEqualTo("failed"));
        assertThat(app.rows("SELECT id FROM posts")).isEmpty();
    }

    @Test
    void responseThatIsNotJsonFailsTheRunWithTheReasonAndNoRetry() throws Exception {
        stub.reply(Reply.json("<html>maintenance</html>"));
        JsonNode run = ingest(502);
        assertThat(run.get("error").asText()).contains("is not JSON");
        assertThat(stub.calls()).isEqualTo(1);
        assertThat((String) runs().get(0).get("error")).contains("is not JSON");
        assertThat(JSON.readTree(app.get("/status").body()).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void responseThatIsNotAnArrayFailsTheRun() throws Exception {
        stub.reply(Reply.json("{\"posts\": " + posts(1, 2) + "}"));
        JsonNode run = ingest(502);
        assertThat(run.get("error").asText()).contains("no JSON array at $").contains("found object");
        assertThat(app.rows("SELECT id FROM posts")).isEmpty();
    }

    static Stream<String> invalidItems() {
        return TestCases.names("posts/invalid-items");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidItems")
    void invalidItemIsDeadLetteredAndTheRestOfTheBatchStored(String name) throws Exception {
        Path dir = TestCases.dir("posts/invalid-items/" + name);
        JsonNode item = JSON.readTree(dir.resolve("item.json").toFile());
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        ArrayNode batch = (ArrayNode) JSON.readTree(posts(1, 2));
        batch.insert(1, item);
        stub.reply(Reply.json(batch.toString()));

        JsonNode run = ingest(200);
        assertThat(run.get("records").asInt()).isEqualTo(2);
        assertThat(app.rows("SELECT id FROM posts ORDER BY id")).containsExactly(Map.of("id", 1L), Map.of("id", 2L));

        List<String> letters = TestServices.deadLetters("posts");
        assertThat(letters).hasSize(1);
        JsonNode letter = JSON.readTree(letters.get(0));
        assertThat(JSON.readTree(letter.get("payload").asText())).isEqualTo(item);
        assertThat(letter.get("pipeline").asText()).isEqualTo("posts");
        // The route the run started from: posts.ingest here, posts.pull when the timer ran it.
        assertThat(letter.get("routeId").asText()).isEqualTo("posts.ingest");
        assertThat(letter.get("source").get("url").asText()).isEqualTo(source());
        assertThat(letter.get("source").get("index").asInt()).isEqualTo(1);
        assertThat(letter.get("error").get("type").asText()).isEqualTo("InvalidMessageException");
        assertThat(letter.get("error").path("field").isMissingNode() ? null : letter.get("error").get("field").asText())
                .isEqualTo(expected.get("field").isNull() ? null : expected.get("field").asText());
        assertThat(letter.get("eventId").isNull() ? null : letter.get("eventId").asText())
                .isEqualTo(expected.get("eventId").isNull() ? null : expected.get("eventId").asText());
    }

    @Test
    void batchWithNoValidItemFailsTheRunAndKeepsTheItems() throws Exception {
        stub.reply(Reply.json("[{\"id\": 1}, {\"id\": 2}]"));
        JsonNode run = ingest(502);
        assertThat(run.get("error").asText()).contains("none of the 2 items is valid");
        assertThat(TestServices.deadLetters("posts")).hasSize(2);
        assertThat(runs().get(0).get("status")).isEqualTo("failed");
    }

    @Test
    void readApiPagesWithOffsetAndRefusesBadValues() throws Exception {
        stub.reply(Reply.json(posts(1, 25)));
        ingest(200);

        JsonNode first = JSON.readTree(app.get("/posts").body());
        assertThat(ids(first)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(first.get("count").asLong()).isEqualTo(25);
        assertThat(first.get("limit").asInt()).isEqualTo(10);
        assertThat(first.get("offset").asInt()).isZero();

        JsonNode last = JSON.readTree(app.get("/posts?limit=10&offset=20").body());
        assertThat(ids(last)).containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(last.get("offset").asInt()).isEqualTo(20);
        assertThat(ids(JSON.readTree(app.get("/posts?limit=100&offset=25").body()))).isEmpty();

        for (String bad : List.of("limit=0", "limit=101", "limit=ten", "offset=-1", "offset=1.5")) {
            HttpResponse<String> answer = app.get("/posts?" + bad);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("field").asText()).isEqualTo(bad.substring(0, bad.indexOf('=')));
        }

        HttpResponse<String> one = app.get("/posts/7");
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode post = JSON.readTree(one.body());
        assertThat(post.get("id").asLong()).isEqualTo(7);
        assertThat(post.get("user_id").asLong()).isEqualTo(2);
        assertThat(post.get("title").asText()).isEqualTo("title 7");
        assertThat(post.get("body").asText()).isEqualTo("body 7");
        assertThat(app.get("/posts/seven").statusCode()).isEqualTo(400);
        assertThat(app.get("/posts/999").statusCode()).isEqualTo(404);
    }

    private JsonNode ingest(int expectedStatus) throws Exception {
        HttpResponse<String> answer = app.post("/posts/ingest", "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expectedStatus);
        return JSON.readTree(answer.body());
    }

    private List<Map<String, Object>> runs() {
        return app.rows("SELECT pipeline, status, records, error, started_at, finished_at FROM ingestion_runs"
                + " WHERE pipeline = 'posts' ORDER BY id").stream()
                .map(r -> { Map<String, Object> m = new java.util.HashMap<>(r);
                    m.put("records", ((Number) r.get("records")).intValue()); return m; })
                .toList();
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new java.util.ArrayList<>();
        page.get("posts").forEach(p -> ids.add(p.get("id").asLong()));
        return ids;
    }

    /** Posts {@code from..to} in the jsonplaceholder shape. */
    static String posts(int from, int to) {
        ArrayNode array = JSON.createArrayNode();
        for (int i = from; i <= to; i++) {
            array.addObject().put("userId", i % 3 + 1).put("id", i).put("title", "title " + i).put("body", "body " + i);
        }
        return array.toString();
    }
}
