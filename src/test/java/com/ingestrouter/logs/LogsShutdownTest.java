package com.ingestrouter.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.config.Mode;
import com.ingestrouter.deadletter.DeadLetterWriter;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * At-least-once for the logs queue: a poison record is held unacked for its dead letter while Redis is
 * unreachable, and the app is stopped (SIGTERM). The record was neither stored nor dead-lettered, so it
 * must still be on the queue, and the next start dead-letters it.
 */
class LogsShutdownTest {

    @Test
    void aPoisonLogWaitingForItsDeadLetterAtShutdownStaysOnTheQueue() {
        String queue = TestServices.freshQueue("logs");
        String payments = TestServices.freshQueue("payments");
        TestServices.clearDeadLetters();
        String id = UUID.randomUUID().toString();
        try (TcpProxy redis = new TcpProxy("127.0.0.1", 6379)) {
            RunningApp.Builder builder = RunningApp.builder(Mode.BROKERS)
                    .database(TestDatabase.H2, "logs_shutdown")
                    .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                    .property("ingest.redis.url", TestServices.redisUrl(redis))
                    .property("ingest.logs.queue", queue)
                    .property("ingest.logs.consumers", 1)
                    .property("ingest.payments.queue", payments)
                    .property("camel.main.shutdown-timeout", 10);
            try (RunningApp app = builder.start()) {
                redis.cut();
                TestServices.publishRaw(queue, ("not json " + id).getBytes(StandardCharsets.UTF_8), id);
                // The record is held unacked: its dead letter is being retried against the unreachable store.
                DeadLetterWriter writer = app.context().getRegistry().lookupByNameAndType("deadLetterWriter", DeadLetterWriter.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> writer.held() == 1);
                assertThat(TestServices.queueDepth(queue)).as("not ready again: held by this consumer").isZero();
            }
            // Acked and dropped would leave 0 here; the broker must still hold the record.
            await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == 1);

            redis.restore();
            try (RunningApp again = builder.start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("logs").size() == 1);
                assertThat(TestServices.deadLetters("logs").get(0)).contains("not json " + id);
                await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.queueDepth(queue) == 0);
            }
        } finally {
            TestServices.deleteQueue(queue);
            TestServices.deleteQueue(payments);
            TestServices.clearDeadLetters();
        }
    }
}
