package com.ingestrouter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.support.AppProcess;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Faults injected while the application, as its own JVM in brokers mode, drains a queue that already
 * holds N messages (some of them poison) into MariaDB. After each scenario: rows equal the distinct
 * messages sent, dead letters equal the poison sent, nothing else. Each scenario adds a row to
 * target/reliability.md (docs/reliability.md is that table from a full run).
 *
 * <p>{@code INGEST_FAULT_N} sets N (default 2000; CI runs the default).
 */
class FaultInjectionTest {
    private static final int N = Integer.parseInt(System.getenv().getOrDefault("INGEST_FAULT_N", "2000"));
    /** One in this many messages is poison (not valid for its pipeline). */
    private static final int POISON_EVERY = 50;
    private static final List<String> TABLE = new ArrayList<>();

    @AfterAll
    static void writeTable() throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "| scenario | messages | poison | faults | lost | duplicated | dead-lettered |",
                "|---|---:|---:|---|---:|---:|---:|"));
        lines.addAll(TABLE);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "reliability.md"), lines);
    }

    @Test
    void paymentsKilledMidDrainLoseAndDuplicateNothing() throws Exception {
        payments("payments: kill -9 mid-drain, restart", "SIGKILL at ~1/3", 1, (drain) -> {
            drain.untilStored(N / 3);
            drain.instances.get(0).kill();
            drain.start();
        });
    }

    @Test
    void paymentsStoppedWithSigtermMidDrainLoseNothing() throws Exception {
        payments("payments: SIGTERM mid-drain, restart", "SIGTERM at ~1/3", 1, (drain) -> {
            drain.untilStored(N / 3);
            AppProcess first = drain.instances.get(0);
            first.terminate();
            try {
                first.waitForExit(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            drain.start();
        });
    }

    @Test
    void twoInstancesOnOneQueueOneKilledLoseAndDuplicateNothing() throws Exception {
        payments("payments: 2 instances, one killed mid-drain", "2 consumers on one queue, SIGKILL of one at ~1/3", 2, (drain) -> {
            drain.untilStored(N / 3);
            drain.instances.get(0).kill();
        });
    }

    @Test
    void paymentsWaitOutADatabaseOutage() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 3306)) {
            payments("payments: database cut for 15 s mid-drain", "MariaDB unreachable 15 s", 1, proxy, (drain) -> {
                drain.untilStored(N / 4);
                proxy.cut();
                sleep(Duration.ofSeconds(15));
                proxy.restore();
            });
        }
    }

    @Test
    void logsKilledMidDrainLoseAndDuplicateNothing() throws Exception {
        String queue = TestServices.freshQueue("fault-logs");
        String db = TestDatabase.MARIADB.fresh("fault_logs");
        TestServices.clearDeadLetters();
        int poison = 0;
        for (int i = 0; i < N; i++) {
            boolean bad = i % POISON_EVERY == 0;
            poison += bad ? 1 : 0;
            String body = bad ? "not json " + i : "{\"level\":\"info\",\"n\":" + i + "}";
            TestServices.publishRaw(queue, body.getBytes(StandardCharsets.UTF_8), UUID.randomUUID().toString());
        }
        Drain drain = new Drain(db, null, Map.of("INGEST_LOGS_QUEUE", queue, "INGEST_LOGS_CONSUMERS", "1"), "logs");
        try {
            drain.start();
            drain.untilStored(N / 3);
            drain.instances.get(0).kill();
            drain.start();
            int expected = N - poison;
            int expectedPoison = poison;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(drain.count()).as("rows").isEqualTo(expected);
                assertThat(TestServices.deadLetters("logs")).as("dead letters").hasSize(expectedPoison);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.queueDepth(queue) == 0);
            record("logs: kill -9 mid-drain, restart", N, poison, "SIGKILL at ~1/3", Math.max(0, expected - drain.count()),
                    Math.max(0, drain.count() - expected), TestServices.deadLetters("logs").size());
            assertThat(drain.count()).isEqualTo(expected);
            assertThat(TestServices.deadLetters("logs")).hasSize(poison);
        } finally {
            drain.close();
            TestServices.deleteQueue(queue);
        }
    }

    private void payments(String scenario, String faults, int instances, Consumer<Drain> fault) throws Exception {
        payments(scenario, faults, instances, null, fault);
    }

    /** N payments, distinct ids, every POISON_EVERY-th one invalid, drained with the fault injected. */
    private void payments(String scenario, String faults, int instances, TcpProxy proxy, Consumer<Drain> fault) throws Exception {
        String queue = TestServices.freshQueue("fault-payments");
        String db = TestDatabase.MARIADB.fresh("fault_payments");
        TestServices.clearDeadLetters();
        int poison = 0;
        for (int i = 1; i <= N; i++) {
            boolean bad = i % POISON_EVERY == 0;
            poison += bad ? 1 : 0;
            String body = "{\"user_id\": " + (bad ? "\"x\"" : "7") + ", \"payment_id\": " + i + ", \"deposit_amount\": 1.5}";
            TestServices.publishRaw(queue, body.getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> env = new HashMap<>(Map.of("INGEST_PAYMENTS_QUEUE", queue, "INGEST_PAYMENTS_BATCH_SIZE", "100",
                "INGEST_PAYMENTS_PREFETCH", "200"));
        Drain drain = new Drain(db, proxy, env, "payments");
        try {
            for (int i = 0; i < instances; i++) {
                drain.start();
            }
            fault.accept(drain);
            int expected = N - poison;
            int expectedPoison = poison;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(drain.count()).as("rows").isEqualTo(expected);
                assertThat(TestServices.deadLetters("payments")).as("dead letters").hasSize(expectedPoison);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.queueDepth(queue) == 0);
            long skipped = drain.jdbc.queryForObject("SELECT COUNT(*) FROM skipped_messages", Long.class);
            // A message stored twice would be a second row (impossible under the key) or a false skipped_messages row.
            record(scenario, N, poison, faults, Math.max(0, expected - drain.count()),
                    Math.max(0, drain.count() - expected) + skipped, TestServices.deadLetters("payments").size());
            assertThat(drain.count()).isEqualTo(expected);
            assertThat(skipped).as("no false skipped_messages").isZero();
            assertThat(TestServices.deadLetters("payments")).hasSize(poison);
        } finally {
            drain.close();
            TestServices.deleteQueue(queue);
        }
    }

    private static void record(String scenario, int messages, int poison, String faults, long lost, long duplicated, int dead) {
        TABLE.add("| " + scenario + " | " + messages + " | " + poison + " | " + faults + " | " + lost + " | " + duplicated
                + " | " + dead + " |");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // the fault's duration itself, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The app instances draining one pipeline into one MariaDB database. */
    private static final class Drain implements AutoCloseable {
        final List<AppProcess> instances = new ArrayList<>();
        final JdbcTemplate jdbc;
        private final Map<String, String> env = new HashMap<>();
        private final String table;

        Drain(String dbUrl, TcpProxy proxy, Map<String, String> pipelineEnv, String pipeline) {
            this.jdbc = new JdbcTemplate(new DriverManagerDataSource(dbUrl, TestDatabase.MARIADB.user(), ""));
            this.table = pipeline.equals("payments") ? "payment_events" : "logs";
            env.put("INGEST_MODE", "brokers");
            env.put("INGEST_DB_URL", proxy == null ? dbUrl : dbUrl.replace(":3306/", ":" + proxy.port() + "/"));
            env.put("INGEST_DB_USER", TestDatabase.MARIADB.user());
            env.put("INGEST_REDIS_URL", TestServices.redisUrl());
            env.put("INGEST_RABBITMQ_URL", TestServices.rabbitUrl());
            env.put("INGEST_KAFKA_BROKERS", TestKafka.brokers());
            env.put("INGEST_EVENTS_TOPIC", TestKafka.freshTopic("fault-events"));
            env.put("INGEST_CLI_ENABLED", "false");
            env.put("INGEST_RETRY_MAX_DELAY_MS", "2000");
            env.putIfAbsent("INGEST_PAYMENTS_QUEUE", "fault-unused-payments");
            env.putIfAbsent("INGEST_LOGS_QUEUE", "fault-unused-logs");
            env.putAll(pipelineEnv);
        }

        void start() {
            try {
                instances.add(AppProcess.start(env));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void untilStored(int rows) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> count() >= rows);
        }

        long count() {
            try {
                return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
            } catch (RuntimeException e) {
                return 0; // not migrated yet
            }
        }

        @Override
        public void close() throws InterruptedException {
            for (AppProcess app : instances) {
                app.close();
            }
        }
    }
}
