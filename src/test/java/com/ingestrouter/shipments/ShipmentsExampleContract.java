package com.ingestrouter.shipments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.sql.Database;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestCases;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipments example (examples/shipments: one route file, one schema, one migration per dialect, no
 * Java) run from its directory in brokers mode, against real RabbitMQ and Redis, on one SQL database per
 * subclass. Each case folder under shipments/cases is a list of messages published straight to the
 * queue, beside the rows, outcomes and dead letters they must leave.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShipmentsExampleContract {
    static final Path EXAMPLE = Path.of("examples/shipments");
    private static final ObjectMapper JSON = new ObjectMapper();
    RunningApp app;
    String queue;
    /** In front of the database server, so a test can cut it (none for in-memory H2). */
    TcpProxy proxy;

    abstract TestDatabase database();

    @BeforeAll
    void startApp() {
        queue = TestServices.freshQueue("shipments");
        RunningApp.Builder builder = RunningApp.builder(Mode.BROKERS)
                .database(database(), "shipments")
                .routesDirectory(EXAMPLE, false)
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.admin.token", "shipments-test-token")
                // An outage misread as an unexpected error would be dead-lettered at once.
                .property("ingest.retry.unexpected-attempts", 0)
                .property("shipments.queue", queue);
        int port = database().port();
        if (port > 0) {
            proxy = new TcpProxy("127.0.0.1", port);
            builder.property("ingest.db.url", builder.databaseUrl().replace(":" + port + "/", ":" + proxy.port() + "/"));
        }
        app = builder.start();
    }

    @AfterAll
    void stopApp() {
        app.close();
        TestServices.deleteQueue(queue);
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aDatabaseOutageIsRetriedUntilItEndsAndNothingIsDeadLettered() {
        Assumptions.assumeTrue(proxy != null, "an in-memory H2 cannot be cut off");
        proxy.cut();
        try {
            publish("{\"shipmentId\":\"S-11\",\"orderId\":\"O-11\",\"status\":\"created\",\"updatedAt\":\"2026-12-01T10:00:00Z\"}");
            // Held unacked and retried in place while the database is away, never dead-lettered.
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> TestServices.deadLetters("shipments").isEmpty());
        } finally {
            proxy.restore();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(rows()).containsExactly(Arrays.asList("S-11", "O-11", null, "created", "2026-12-01T10:00:00Z"));
            assertThat(TestServices.queueDepth(queue)).isZero();
        });
        assertThat(TestServices.deadLetters("shipments")).isEmpty();
    }

    @BeforeEach
    void clean() {
        app.jdbc().update("DELETE FROM shipments");
        TestServices.clearDeadLetters();
    }

    static Stream<String> cases() {
        return TestCases.names("shipments/cases");
    }

    /** The messages arrive as one batch (queued while the consumer is stopped): the set-wise path. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseLeavesItsRowsOutcomesAndDeadLetters(String name) throws Exception {
        Path dir = TestCases.dir("shipments/cases/" + name);
        List<String> messages = Files.readAllLines(dir.resolve("messages.jsonl"));
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        double[] before = outcomes(expected);

        app.context().getRouteController().stopRoute("shipments.consume");
        for (String message : messages) {
            TestServices.publishRaw(queue, message.getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == messages.size());
        app.context().getRouteController().startRoute("shipments.consume");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TestServices.queueDepth(queue)).isZero();
            assertThat(TestServices.deadLetters("shipments")).hasSize(expected.get("deadLetters").size());
            assertThat(rows()).containsExactlyInAnyOrderElementsOf(expectedRows(expected));
        });
        List<String> letters = TestServices.deadLetters("shipments");
        for (int i = 0; i < letters.size(); i++) {
            JsonNode want = expected.get("deadLetters").get(i);
            JsonNode letter = JSON.readTree(letters.get(i));
            assertThat(letter.get("pipeline").asText()).isEqualTo("shipments");
            assertThat(letter.get("payload").asText()).isEqualTo(messages.get(want.get("line").asInt() - 1));
            assertThat(letter.get("source").get("queue").asText()).isEqualTo(queue);
            assertThat(letter.get("error").get("type").asText()).isEqualTo(want.get("type").asText());
            assertThat(letter.get("error").get("message").asText()).contains(want.get("message").asText());
            if (want.get("field").isNull()) {
                assertThat(letter.get("error").has("field")).isFalse();
            } else {
                assertThat(letter.get("error").get("field").asText()).isEqualTo(want.get("field").asText());
            }
        }
        double[] after = outcomes(expected);
        var names = expected.get("outcomes").fieldNames();
        for (int i = 0; names.hasNext(); i++) {
            String outcome = names.next();
            assertThat(after[i] - before[i]).as("outcome " + outcome).isEqualTo(expected.get("outcomes").get(outcome).asDouble());
        }
    }

    @Test
    void messagesArrivingOneByOneGiveTheSameRowsAsOneBatch() {
        publish("{\"shipmentId\":\"S-9\",\"orderId\":\"O-9\",\"status\":\"created\",\"updatedAt\":\"2026-12-01T10:00:00Z\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows().size() == 1);
        publish("{\"shipmentId\":\"S-9\",\"orderId\":\"O-9\",\"status\":\"delivered\",\"updatedAt\":\"2026-12-01T18:00:00Z\"}");
        publish("{\"shipmentId\":\"S-9\",\"orderId\":\"O-9\",\"status\":\"delivered\",\"updatedAt\":\"2026-12-01T18:00:00Z\"}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(TestServices.queueDepth(queue)).isZero();
            assertThat(rows()).containsExactly(Arrays.asList("S-9", "O-9", null, "delivered", "2026-12-01T18:00:00Z"));
        });
        assertThat(TestServices.deadLetters("shipments")).isEmpty();
    }

    @Test
    void httpPostPublishesAndTheConsumerUpserts() throws Exception {
        var accepted = app.post("/shipments",
                "{\"shipmentId\":\"S-7\",\"orderId\":\"O-7\",\"carrier\":\"GLS\",\"status\":\"created\",\"updatedAt\":\"2026-12-01T09:00:00Z\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).get("shipmentId").asText()).isEqualTo("S-7");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(rows()).containsExactly(List.of("S-7", "O-7", "GLS", "created", "2026-12-01T09:00:00Z")));
    }

    @Test
    void httpPostRefusesAnInvalidShipmentNamingTheFieldAndPublishesNothing() throws Exception {
        var refused = app.post("/shipments", "{\"shipmentId\":\"S-8\",\"orderId\":\"O-8\",\"status\":\"lost\",\"updatedAt\":\"2026-12-01T09:00:00Z\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("field").asText()).isEqualTo("status");
        assertThat(TestServices.queueDepth(queue)).isZero();
        assertThat(rows()).isEmpty();
        assertThat(TestServices.deadLetters("shipments")).isEmpty();
    }

    @Test
    void aDeadLetterReplaysToTheQueueAndIsStoredOnceFixedInTheDatabase() throws Exception {
        // Refused by the database (the carrier is too long for its column), then the column is widened.
        String tooLong = "C".repeat(80);
        publish("{\"shipmentId\":\"S-10\",\"orderId\":\"O-10\",\"carrier\":\"" + tooLong + "\",\"status\":\"created\",\"updatedAt\":\"2026-12-01T10:00:00Z\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("shipments").size() == 1);
        widenCarrier();
        try {
            var replay = app.send(java.net.http.HttpRequest.newBuilder(app.uri("/dlq/shipments/replay"))
                    .header("Authorization", "Bearer shipments-test-token")
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(replay.body()).get("replayed").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(rows()).containsExactly(List.of("S-10", "O-10", tooLong, "created", "2026-12-01T10:00:00Z"));
                assertThat(TestServices.deadLetters("shipments")).isEmpty();
            });
        } finally {
            app.jdbc().update("DELETE FROM shipments");
            narrowCarrier();
        }
    }

    abstract void widenCarrier();

    abstract void narrowCarrier();

    void publish(String message) {
        TestServices.publishRaw(queue, message.getBytes(StandardCharsets.UTF_8));
    }

    /** The table's rows, timestamps read through the app's own dialect so every database reads alike. */
    List<List<Object>> rows() {
        Database db = app.context().getRegistry().lookupByNameAndType("database", Database.class);
        List<List<Object>> rows = new ArrayList<>();
        db.jdbc().getJdbcTemplate().query("SELECT shipment_id, order_id, carrier, status, updated_at FROM shipments", rs -> {
            Instant updated = db.dialect().instant(rs, "updated_at");
            rows.add(Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), String.valueOf(updated)));
        });
        return rows;
    }

    private static List<List<Object>> expectedRows(JsonNode expected) {
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : expected.get("rows")) {
            List<Object> values = new ArrayList<>();
            row.forEach(v -> values.add(v.isNull() ? null : v.asText()));
            values.set(4, Instant.parse((String) values.get(4)).toString());
            rows.add(values);
        }
        return rows;
    }

    private double[] outcomes(JsonNode expected) {
        String metrics = app.get("/metrics").body();
        List<Double> values = new ArrayList<>();
        expected.get("outcomes").fieldNames().forEachRemaining(outcome -> {
            String prefix = "messages_processed_total{outcome=\"" + outcome + "\",pipeline=\"shipments\",type=\"shipments\"} ";
            values.add(metrics.lines().filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(0));
        });
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
