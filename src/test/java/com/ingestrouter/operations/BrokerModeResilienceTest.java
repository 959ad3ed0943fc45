package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Dependencies going away under a running app (MariaDB and Redis reached through proxies we can cut):
 * /health says which one, messages wait unacked instead of being dead-lettered or lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerModeResilienceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TcpProxy database = new TcpProxy("127.0.0.1", 3306);
    private final TcpProxy redis = new TcpProxy("127.0.0.1", 6379);
    private RunningApp app;
    private String queue;

    @BeforeAll
    void start() {
        String direct = TestDatabase.MARIADB.fresh("resilience");
        queue = TestServices.freshQueue("payments");
        app = RunningApp.builder(Mode.BROKERS)
                .database(TestDatabase.MARIADB, "resilience")
                .property("ingest.db.url", direct.replace(":3306/", ":" + database.port() + "/"))
                .property("ingest.redis.url", TestServices.redisUrl(redis))
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", queue)
                .start();
    }

    @AfterAll
    void stop() {
        database.restore();
        redis.restore();
        app.close();
        TestServices.deleteQueue(queue);
        database.close();
        redis.close();
    }

    @BeforeEach
    void clean() {
        database.restore();
        redis.restore();
        TestServices.clearDeadLetters();
    }

    @Test
    void healthIs503NamingRedisWhileItIsUnreachable() throws Exception {
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
        redis.cut();
        var down = app.get("/health");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode checks = JSON.readTree(down.body()).get("checks");
        assertThat(checks.get("redis").get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("database").get("status").asText()).isEqualTo("UP");
        assertThat(checks.get("rabbitmq").get("status").asText()).isEqualTo("UP");
        redis.restore();
        await().atMost(Duration.ofSeconds(20)).until(() -> app.get("/health").statusCode() == 200);
    }

    @Test
    void databaseOutageMakesTheAppUnreadyButKeepsItLive() throws Exception {
        // An earlier test's outage may leave broken pooled connections that the next probes discard.
        await().atMost(Duration.ofSeconds(20)).until(() -> app.get("/health/ready").statusCode() == 200);
        assertThat(app.get("/health/live").statusCode()).isEqualTo(200);
        database.cut();

        var ready = app.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertThat(checks.get("database").get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("database").get("error").asText()).isNotBlank();
        assertThat(checks.get("redis").get("status").asText()).isEqualTo("UP");
        // Camel's own endpoint asks the same registry.
        var observed = app.management("/observe/health/ready?exposureLevel=full");
        assertThat(observed.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(observed.body()).get("checks")).anySatisfy(check -> {
            assertThat(check.get("name").asText()).isEqualTo("database");
            assertThat(check.get("status").asText()).isEqualTo("DOWN");
        });

        var live = app.get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("status").asText()).isEqualTo("UP");
        assertThat(JSON.readTree(live.body()).get("checks").has("database")).isFalse();

        database.restore();
        await().atMost(Duration.ofSeconds(20)).until(() -> app.get("/health/ready").statusCode() == 200);
    }

    @Test
    void databaseOutageHoldsTheMessageUnackedThenStoresIt() {
        database.cut();
        TestServices.publishRaw(queue, "{\"user_id\": 8, \"payment_id\": 800, \"deposit_amount\": 8}".getBytes(StandardCharsets.UTF_8));

        // Retried in place: still on the broker (unacked), and not dead-lettered.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                TestServices.queueDepth(queue) == 0 && TestServices.deadLetters("payments").isEmpty());
        assertThat(app.get("/health").statusCode()).isEqualTo(503);

        database.restore();
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(app.rows("SELECT payment_id FROM payment_events WHERE payment_id = 800")).hasSize(1));
        assertThat(TestServices.deadLetters("payments")).isEmpty();
    }

    @Test
    void redisOutageHoldsAnInvalidMessageUntilItsDeadLetterIsStored() {
        redis.cut();
        String payload = "{\"user_id\": \"nine\", \"payment_id\": 900, \"deposit_amount\": 9}";
        TestServices.publishRaw(queue, payload.getBytes(StandardCharsets.UTF_8));

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                TestServices.deadLetters("payments").isEmpty());
        redis.restore();
        await().atMost(Duration.ofSeconds(40)).until(() -> TestServices.deadLetters("payments").size() == 1);
        assertThat(TestServices.deadLetters("payments").get(0)).contains("\"eventId\":\"900\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == 0);
    }
}
