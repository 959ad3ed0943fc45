package com.ingestrouter.deadletter;

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
import org.junit.jupiter.api.Test;

/**
 * A message held back for its dead letter (Redis down) whose channel then closes (the broker connection
 * cut): the broker redelivers it, and the redelivered copy is held too. When Redis is back the first
 * letter is stored (its ack cannot go out on the closed channel), the redelivered copy is recognised as
 * the same message and acked without a second letter, and the queue ends empty. Real RabbitMQ and Redis,
 * each behind a proxy that is cut.
 */
class HeldLetterChannelClosedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aHeldMessageWhoseChannelClosedEndsAsOneLetterAndAnEmptyQueue() throws Exception {
        String queue = TestServices.freshQueue("payments-held");
        TestServices.clearDeadLetters();
        byte[] poison = "{\"user_id\": -1, \"payment_id\": 5, \"deposit_amount\": 1}".getBytes(StandardCharsets.UTF_8);
        try (TcpProxy rabbit = new TcpProxy("127.0.0.1", 5672);
                TcpProxy redis = new TcpProxy("127.0.0.1", 6379);
                RunningApp app = RunningApp.builder(Mode.BROKERS)
                        .database(TestDatabase.MARIADB, "payments_held")
                        .property("ingest.rabbitmq.url", "amqp://guest:guest@127.0.0.1:" + rabbit.port() + "/")
                        .property("ingest.redis.url", TestServices.redisUrl(redis))
                        .property("ingest.payments.queue", queue)
                        .start()) {
            redis.cut();
            TestServices.publishRaw(queue, poison);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(app.get("/metrics").body()).containsPattern("(?m)^dlq_held 1\\.0$"));

            // The app's broker connection goes, with the channel the held message came on.
            rabbit.cut();
            Thread.sleep(1000); // long enough for the client to see the connection gone
            rabbit.restore();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(app.get("/metrics").body()).as("the redelivered copy is held too")
                            .containsPattern("(?m)^dlq_held 2\\.0$"));

            redis.restore();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(app.get("/metrics").body()).containsPattern("(?m)^dlq_held 0\\.0$");
                assertThat(TestServices.queueDepth(queue)).isZero();
            });
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(TestServices.deadLetters("payments")).hasSize(1));
            JsonNode letter = JSON.readTree(TestServices.deadLetters("payments").get(0));
            assertThat(letter.get("payload").asText()).isEqualTo(new String(poison, StandardCharsets.UTF_8));
            assertThat(app.rows("SELECT payment_id FROM payment_events")).isEmpty();
        } finally {
            TestServices.deleteQueue(queue);
            TestServices.clearDeadLetters();
        }
    }
}
