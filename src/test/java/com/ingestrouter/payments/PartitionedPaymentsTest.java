package com.ingestrouter.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.rabbit.QueuePartitions;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * payments with INGEST_PAYMENTS_PARTITIONS=3, against the real RabbitMQ (its consistent-hash exchange
 * and single-active-consumer queues) and MariaDB: copies of a payment id keep their order while the
 * partitions are consumed side by side, a second consumer of a partition (another instance) stays idle
 * until the first goes, and nothing is stranded on the plain queue or on a partition of a larger count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionedPaymentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;
    private static final String TOKEN = "partitions-admin-token";
    private RunningApp app;
    private String queue;
    private final RabbitAdmin admin = new RabbitAdmin(TestServices.rabbit());

    @BeforeAll
    void startApp() {
        queue = TestServices.freshQueue("payments-parted");
        // An earlier, larger count left its last partition bound and holding a message.
        new QueuePartitions(queue, PARTITIONS + 1).declare(TestServices.rabbit());
        TestServices.publishRaw(queue + "." + PARTITIONS, payment(9, 900, "9").getBytes(StandardCharsets.UTF_8));
        app = RunningApp.builder(Mode.BROKERS)
                .database(TestDatabase.MARIADB, "payments_parted")
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", queue)
                .property("ingest.payments.partitions", PARTITIONS)
                .property("ingest.admin.token", TOKEN)
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> count("payment_events") == 1);
        assertThat(app.rows("SELECT payment_id FROM payment_events").get(0).get("payment_id").toString()).isEqualTo("900");
    }

    @AfterAll
    void stopApp() {
        app.close();
        for (int i = 0; i <= PARTITIONS; i++) {
            TestServices.deleteQueue(queue + "." + i);
        }
        TestServices.deleteQueue(queue);
        admin.deleteExchange(queue);
    }

    @BeforeEach
    void clean() throws Exception {
        app.context().getRouteController().startRoute("payments.consume");
        await().atMost(Duration.ofSeconds(30)).until(() -> partitionDepths().stream().allMatch(d -> d == 0));
        app.jdbc().update("DELETE FROM payment_events");
        app.jdbc().update("DELETE FROM skipped_messages");
        TestServices.clearDeadLetters();
    }

    @Test
    void copiesOfAPaymentIdKeepTheirOrderWhileThePartitionsAreConsumedSideBySide() throws Exception {
        // Published with the consumer stopped, so that every partition holds a backlog that is then
        // drained by three consumers at once.
        app.context().getRouteController().stopRoute("payments.consume");
        int ids = 150;
        for (int copy = 0; copy < 2; copy++) {
            for (int id = 1; id <= ids; id++) {
                assertThat(app.post("/payments", payment(id % 7 + 1, id, id + (copy == 0 ? "" : ".5"))).statusCode())
                        .isEqualTo(202);
            }
        }
        List<Long> depths = partitionDepths();
        assertThat(depths.subList(0, PARTITIONS)).as("spread by payment id").allMatch(d -> d > 0);
        assertThat(depths.stream().mapToLong(Long::longValue).sum()).isEqualTo(2L * ids);
        assertThat(TestServices.queueDepth(queue)).as("nothing on the plain queue").isZero();
        assertThat(depths.get(PARTITIONS)).as("the stray partition is off the exchange").isZero();

        app.context().getRouteController().startRoute("payments.consume");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(count("payment_events")).isEqualTo(ids);
            assertThat(count("skipped_messages")).isEqualTo(ids);
        });
        // The first copy published is the one stored, for every id.
        for (Map<String, Object> row : app.rows("SELECT payment_id, deposit_amount FROM payment_events")) {
            assertThat((BigDecimal) row.get("deposit_amount")).isEqualByComparingTo(row.get("payment_id").toString());
        }
        for (Map<String, Object> row : app.rows("SELECT payment_id, deposit_amount FROM skipped_messages")) {
            assertThat((BigDecimal) row.get("deposit_amount")).isEqualByComparingTo(row.get("payment_id") + ".5");
        }
        assertThat(TestServices.deadLetters("payments")).isEmpty();
    }

    @Test
    void aSecondConsumerOfAPartitionStaysIdleUntilTheFirstStopsAndNothingIsLost() throws Exception {
        // The second consumer stands for another instance: RabbitMQ keeps it idle while the app consumes.
        List<Long> received = new CopyOnWriteArrayList<>();
        // A connection of its own: closing it is what hands the unacked messages back.
        try (com.rabbitmq.client.Connection connection = TestServices.rabbit().getRabbitConnectionFactory().newConnection()) {
            Channel channel = connection.createChannel();
            String tag = channel.basicConsume(queue + ".0", false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    // Never acked: the broker requeues it for the next active consumer when this one goes.
                    received.add(envelope.getDeliveryTag());
                }
            });
            for (int id = 1000; id < 1030; id++) {
                assertThat(app.post("/payments", payment(1, id, "1")).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> count("payment_events") == 30);
            assertThat(received).as("the idle consumer got nothing").isEmpty();

            // The app's consumer goes: the other one takes over the partition.
            app.context().getRouteController().stopRoute("payments.consume");
            for (int id = 2000; id < 2030; id++) {
                assertThat(app.post("/payments", payment(1, id, "1")).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
            // The app comes back (now the idle one), then the other consumer goes.
            app.context().getRouteController().startRoute("payments.consume");
            channel.basicCancel(tag);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("payment_events") == 60);
        assertThat(count("skipped_messages")).isZero();
    }

    @Test
    void whatIsPublishedToThePlainQueueIsStoredToo() {
        TestServices.publishRaw(queue, payment(4, 4000, "40").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("payment_events") == 1);
    }

    @Test
    void aPartitionOfALargerCountIsStillConsumed() {
        // Its first message was stored at start-up (startApp); it is off the exchange, but not forgotten.
        assertThat(TestServices.queueDepth(queue + "." + PARTITIONS)).isZero();
        TestServices.publishRaw(queue + "." + PARTITIONS, payment(9, 901, "9").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("payment_events") == 1);
    }

    @Test
    void aReplayedLetterGoesBackToItsPaymentsPartition() throws Exception {
        // Valid JSON with its id, refused by the schema: a dead letter that knows its payment id.
        TestServices.publishRaw(queue, "{\"user_id\": 1, \"payment_id\": 78, \"deposit_amount\": -1}"
                .getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("payments").size() == 1);
        JsonNode first = JSON.readTree(TestServices.deadLetters("payments").get(0));
        assertThat(first.get("eventId").asText()).isEqualTo("78");
        assertThat(first.at("/source/queue").asText()).isEqualTo(queue);

        var replay = app.send(java.net.http.HttpRequest.newBuilder(app.uri("/dlq/payments/replay"))
                .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(JSON.readTree(replay.body()).get("replayed").asInt()).as(replay.body()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> letters = TestServices.deadLetters("payments");
            assertThat(letters).hasSize(1);
            JsonNode again = JSON.readTree(letters.get(0));
            assertThat(again.get("eventId").asText()).isEqualTo("78");
            assertThat(again.at("/source/queue").asText()).matches(java.util.regex.Pattern.quote(queue) + "\\.[0-2]");
            assertThat(again.get("attempts").asInt()).isEqualTo(2);
        });
    }

    private List<Long> partitionDepths() {
        List<Long> depths = new ArrayList<>();
        for (int i = 0; i <= PARTITIONS; i++) {
            depths.add(TestServices.queueDepth(queue + "." + i));
        }
        return depths;
    }

    private long count(String table) {
        return ((Number) app.rows("SELECT COUNT(*) AS n FROM " + table).get(0).get("n")).longValue();
    }

    private static String payment(int user, int id, String amount) {
        return "{\"user_id\": " + user + ", \"payment_id\": " + id + ", \"deposit_amount\": " + amount + "}";
    }
}
