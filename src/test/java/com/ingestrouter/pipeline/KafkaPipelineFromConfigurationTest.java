package com.ingestrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestCases;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Kafka pipeline written only in configuration (src/test/resources/pipelines/users-from-kafka: the
 * ingest-topic source, validate, SQL sink upsert), against a real Kafka broker, MariaDB and Redis: the
 * last record of a key wins, an invalid record is dead-lettered with its exact bytes and position, and
 * the group's offsets are committed only past what was written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaPipelineFromConfigurationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningApp app;
    private String topic;
    private String group;

    @BeforeAll
    void start() {
        topic = TestKafka.freshTopic("kafka-users");
        group = topic + "-group";
        app = RunningApp.builder(Mode.BROKERS)
                .database(TestDatabase.MARIADB, "kafka_users")
                .routesDirectory(TestCases.dir("pipelines/users-from-kafka"), false)
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", TestServices.freshQueue("kafka-users-payments"))
                .property("ingest.logs.queue", TestServices.freshQueue("kafka-users-logs"))
                .property("kafkausers.topic", topic)
                .property("kafkausers.group", group)
                .start();
        TestServices.clearDeadLetters();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void recordsAreUpsertedTheLastOfAKeyWinsAndAnInvalidOneIsDeadLettered() throws Exception {
        TestKafka.send(topic, "u1", user("u1", "User 1", "2025-01-01T00:00:01Z"));
        TestKafka.send(topic, "u2", user("u2", "User 2", "2025-01-01T00:00:02Z"));
        TestKafka.send(topic, "u1", user("u1", "User 1 rev 2", "2025-01-01T00:00:01Z"));
        byte[] invalid = "{\"userId\": \"u3\", \"name\": \"no email\"}".getBytes(StandardCharsets.UTF_8);
        TestKafka.send(topic, "u3", invalid);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(app.rows("SELECT user_id, name FROM kafka_users ORDER BY user_id")).containsExactly(
                    Map.of("user_id", "u1", "name", "User 1 rev 2"), Map.of("user_id", "u2", "name", "User 2"));
            assertThat(TestServices.deadLetters("kafkausers")).hasSize(1);
            assertThat(TestKafka.committed(group)).isEqualTo(4);
        });
        JsonNode letter = JSON.readTree(TestServices.deadLetters("kafkausers").get(0));
        assertThat(letter.get("payload").asText()).isEqualTo(new String(invalid, StandardCharsets.UTF_8));
        assertThat(letter.get("eventId").asText()).isEqualTo("u3");
        assertThat(letter.get("source").get("topic").asText()).isEqualTo(topic);
        assertThat(letter.get("source").get("key").asText()).isEqualTo("u3");
        assertThat(letter.get("error").get("field").asText()).isEqualTo("email");
        assertThat(app.get("/metrics").body()).contains("dlq_count_total{pipeline=\"kafkausers\"} 1.0");
    }

    private static byte[] user(String id, String name, String createdAt) {
        return ("{\"userId\": \"" + id + "\", \"name\": \"" + name + "\", \"email\": \"" + id + "@example.com\", \"createdAt\": \""
                + createdAt + "\"}").getBytes(StandardCharsets.UTF_8);
    }

}
