package com.ingestrouter.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The application as its own JVM (java -cp ... com.ingestrouter.App, configured by INGEST_* variables)
 * against the in-process broker and MariaDB, killed with SIGKILL in the middle of a stream and started
 * again: every event ends up applied exactly once (rows, ledger and inventory balance are exact).
 */
class EventsKillNineTest {
    private static final int USERS = 1_000;
    private static final int ADJUSTMENTS = 3_000;
    private static final int SKUS = 30;

    @Test
    void killNineMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
        String topic = TestKafka.freshTopic("events-kill");
        String dbUrl = TestDatabase.MARIADB.fresh("events_kill");
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(dbUrl, TestDatabase.MARIADB.user(), ""));
        TestServices.clearDeadLetters();

        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < ADJUSTMENTS; i++) {
            String sku = "sku-" + (i % SKUS);
            records.add(new AbstractMap.SimpleEntry<>(sku, ("{\"eventId\":\"adj-" + i + "\",\"type\":\"InventoryAdjusted\","
                    + "\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"sku\":\"" + sku + "\",\"delta\":1}}")
                    .getBytes(StandardCharsets.UTF_8)));
            if (i % 3 == 0) {
                int u = i / 3;
                records.add(new AbstractMap.SimpleEntry<>("user-" + u, ("{\"eventId\":\"usr-" + u + "\",\"eventType\":\"UserCreated\","
                        + "\"timestamp\":\"2026-03-01T10:00:00Z\",\"userId\":\"user-" + u + "\",\"email\":\"u" + u
                        + "@example.com\",\"name\":\"U " + u + "\"}").getBytes(StandardCharsets.UTF_8)));
            }
        }
        // Create the topic with two partitions before writing (the app would create it too).
        TestKafka.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 2, (short) 1))).all().get();
        TestKafka.sendAll(topic, records);
        int total = records.size();
        assertThat(total).isEqualTo(USERS + ADJUSTMENTS);

        Process first = start(topic, dbUrl, "first");
        long atKill;
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                    .until(() -> applied(db) >= 400);
        } finally {
            first.destroyForcibly();
            first.waitFor();
        }
        atKill = applied(db);
        assertThat(atKill).as("killed mid-stream").isLessThan(total);

        Process second = start(topic, dbUrl, "second");
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> applied(db) == total);
            await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.committed(topic + "-group") == total);
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(count(db, "users")).isEqualTo(USERS);
        assertThat(count(db, "inventory_adjustments")).isEqualTo(ADJUSTMENTS);
        assertThat(db.queryForObject("SELECT SUM(quantity) FROM inventory", Long.class)).isEqualTo(ADJUSTMENTS);
        assertThat(db.queryForList("SELECT quantity FROM inventory", Long.class))
                .hasSize(SKUS).allMatch(q -> q == ADJUSTMENTS / SKUS);
        assertThat(TestServices.deadLetters("events")).isEmpty();
    }

    /** Every event here writes one row of its own: a user (each its own id) or an adjustment. */
    private static long applied(JdbcTemplate db) {
        return count(db, "users") + count(db, "inventory_adjustments");
    }

    private static long count(JdbcTemplate db, String table) {
        try {
            return db.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        } catch (RuntimeException e) {
            return 0; // not migrated yet
        }
    }

    private static Process start(String topic, String dbUrl, String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "kill-nine"));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), "com.ingestrouter.App")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), name + ".log"));
        Map<String, String> env = builder.environment();
        env.put("INGEST_MODE", "brokers");
        env.put("INGEST_DB_URL", dbUrl);
        env.put("INGEST_DB_USER", TestDatabase.MARIADB.user());
        env.put("INGEST_KAFKA_BROKERS", TestKafka.brokers());
        env.put("INGEST_EVENTS_TOPIC", topic);
        env.put("INGEST_EVENTS_GROUP_ID", topic + "-group");
        env.put("INGEST_EVENTS_CONSUMERS", "2");
        env.put("INGEST_EVENTS_MAX_POLL_RECORDS", "50");
        env.put("INGEST_EVENTS_POLL_TIMEOUT_MS", "200");
        env.put("INGEST_EVENTS_SESSION_TIMEOUT_MS", Long.toString(TestKafka.sessionTimeout().toMillis()));
        env.put("INGEST_REDIS_URL", TestServices.redisUrl());
        env.put("INGEST_RABBITMQ_URL", TestServices.rabbitUrl());
        env.put("INGEST_PAYMENTS_QUEUE", "events-kill-payments");
        // No pull from the internet, no Camel JBang status files: load this test does not need.
        env.put("INGEST_POSTS_ENABLED", "false");
        env.put("INGEST_CLI_ENABLED", "false");
        env.put("INGEST_HTTP_PORT", Integer.toString(RunningApp.freePort()));
        env.put("INGEST_MANAGEMENT_PORT", Integer.toString(RunningApp.freePort()));
        return builder.start();
    }
}
