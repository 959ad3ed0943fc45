package com.ingestrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Database or Redis unreachable (a TCP proxy in front of the real MariaDB / Redis is cut): the consumer
 * retries in place, writes no dead letter and commits no offset until the service is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsOutageTest {
    private RunningApp app;
    private TcpProxy database;
    private TcpProxy redis;
    private String topic;
    private String group;

    @BeforeAll
    void start() {
        topic = TestKafka.freshTopic("events-outage");
        group = topic + "-group";
        database = new TcpProxy("127.0.0.1", 3306);
        redis = new TcpProxy("127.0.0.1", 6379);
        String dbUrl = TestDatabase.MARIADB.fresh("events_outage");
        app = RunningApp.builder(Mode.BROKERS)
                .database(TestDatabase.MARIADB, "events_outage")
                .property("ingest.db.url", dbUrl.replace(":3306/", ":" + database.port() + "/"))
                .property("ingest.redis.url", TestServices.redisUrl(redis))
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", "events-outage-payments")
                .property("ingest.kafka.brokers", TestKafka.brokers())
                .property("ingest.events.topic", topic)
                .property("ingest.events.group-id", group)
                .property("ingest.events.partitions", 1)
                .property("ingest.events.consumers", 1)
                .property("ingest.events.poll-timeout-ms", 200)
                .property("ingest.events.session-timeout-ms", TestKafka.sessionTimeout().toMillis())
                // An outage misread as an unexpected error would be dead-lettered at once.
                .property("ingest.retry.unexpected-attempts", 0)
                .start();
    }

    @AfterAll
    void stop() {
        app.close();
        database.close();
        redis.close();
        TestServices.deleteQueue("events-outage-payments");
    }

    @Test
    void databaseDownIsRetriedUntilBackWithoutDeadLetterOrCommit() {
        TestServices.clearDeadLetters();
        database.cut();
        try {
            TestKafka.send(topic, "u-out", EventsPipelineContract.userJson("ev-out-1", "u-out", "out@example.com")
                    .getBytes(StandardCharsets.UTF_8));
            // While the database is away the record is being retried in place, and nothing moves on.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> app.context().getInflightRepository().size("events.record") > 0);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    TestKafka.committed(group) == 0 && TestServices.deadLetters("events").isEmpty());
        } finally {
            database.restore();
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                app.rows("SELECT user_id FROM users WHERE user_id = 'u-out'").size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.committed(group) == TestKafka.records(topic));
        assertThat(TestServices.deadLetters("events")).isEmpty();
        assertThat(app.rows("SELECT event_id FROM users WHERE user_id = 'u-out'")).hasSize(1)
                .allMatch(row -> "ev-out-1".equals(row.values().iterator().next()));
    }

    /**
     * A record retried in place holds the consumer's poll thread for as long as the outage lasts; Kafka
     * evicts a consumer that does not poll within max.poll.interval.ms (5 min by default). A config
     * check: an outage of hours is too long for a test.
     */
    @Test
    void theConsumerMayWaitOutAnOutageOfDaysWithoutLeavingItsGroup() {
        var source = (com.ingestrouter.queue.PipelineEndpoint) app.context().getRoute("events.consume").getEndpoint();
        var endpoint = (org.apache.camel.component.kafka.KafkaEndpoint) source.consumerEndpoint();
        assertThat(endpoint.getConfiguration().getMaxPollIntervalMs().longValue()).isGreaterThanOrEqualTo(Duration.ofDays(7).toMillis());
    }

    @Test
    void redisDownHoldsTheDeadLetterAndTheCommitUntilBack() {
        TestServices.clearDeadLetters();
        long before = TestKafka.records(topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed(group) == before);
        redis.cut();
        try {
            TestKafka.send(topic, "junk", "not json".getBytes(StandardCharsets.UTF_8));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                    TestKafka.committed(group) == before);
        } finally {
            redis.restore();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("events").size() == 1);
        assertThat(TestServices.deadLetters("events").get(0)).contains("not json");
        await().atMost(Duration.ofSeconds(10)).until(() -> TestKafka.committed(group) == before + 1);
    }
}
