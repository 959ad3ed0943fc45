package com.ingestrouter.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.support.AppProcess;
import com.ingestrouter.support.RestartableKafka;
import com.ingestrouter.support.StubApi;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>{@code INGEST_FAULT_N} sets N (default 1000), {@code INGEST_FAULT_SECONDS} how long each outage or
 * lock lasts (default 8); CI runs the defaults, docs/reliability.md shows a run with longer faults.
 */
class FaultInjectionTest {
    private static final int N = Integer.parseInt(System.getenv().getOrDefault("INGEST_FAULT_N", "1000"));
    /** How long an outage or a lock lasts (INGEST_FAULT_SECONDS; CI's short form: 8). */
    private static final int FAULT_SECONDS = Integer.parseInt(System.getenv().getOrDefault("INGEST_FAULT_SECONDS", "8"));
    private static final Duration FAULT = Duration.ofSeconds(FAULT_SECONDS);
    /** One in this many messages is poison (not valid for its pipeline). */
    private static final int POISON_EVERY = 50;
    private static final List<String> TABLE = new ArrayList<>();
    /** Valid payments POSTed while a fault lasts (ids above N). */
    private static final int POSTED = 20;
    /** Drain option: reach MariaDB through a proxy on this port. */
    private static final String DB_VIA_PROXY = "test.db-proxy-port";

    private static RestartableKafka kafka;

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

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
        payments("payments: SIGTERM mid-drain, restart", "SIGTERM at ~1/3", 1, Drain::terminateAtAThirdAndRestart);
    }

    @Test
    void threeInstancesOnOneQueueOneKilledLoseAndDuplicateNothing() throws Exception {
        payments("payments: 3 instances, one killed mid-drain", "3 consumers on one queue, SIGKILL of one at ~1/3", 3,
                Drain::killOneAtAThird);
    }

    @Test
    void paymentsWaitOutADatabaseOutage() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 3306)) {
            payments("payments: database cut mid-drain", "MariaDB unreachable " + FAULT_SECONDS + " s", 1,
                    Map.of(DB_VIA_PROXY, Integer.toString(proxy.port())), (drain) -> {
                drain.untilStored(N / 4);
                proxy.cut();
                sleep(FAULT);
                proxy.restore();
            });
        }
    }

    /**
     * The contract while the dead-letter store is down: the good messages keep flowing. A poison message is
     * held back unacked (at most the prefetch of them) while the rest of its batch commits and is acked;
     * its dead letter is stored, and it is acked, once Redis is back. /health says why (redis DOWN, 503 +
     * Retry-After); POST /payments goes on accepting (202); readiness is UP again at once after.
     */
    @Test
    void paymentsKeepFlowingWhileRedisIsCut() throws Exception {
        try (TcpProxy redis = new TcpProxy("127.0.0.1", 6379)) {
            payments("payments: Redis cut mid-drain, POSTs meanwhile", "Redis unreachable " + FAULT_SECONDS + " s", 1,
                    Map.of("INGEST_REDIS_URL", TestServices.redisUrl(redis)), (drain) -> {
                AppProcess app = drain.instances.get(0);
                drain.untilStored(N / 4);
                long cutAt = System.nanoTime();
                redis.cut();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    HttpResponse<String> health = app.get("/health");
                    assertThat(health.statusCode()).isEqualTo(503);
                    assertThat(health.headers().firstValue("Retry-After")).isPresent();
                    assertThat(health.body()).contains("\"redis\":{\"status\":\"DOWN\"");
                });
                for (int i = 1; i <= POSTED; i++) {
                    assertThat(drain.post(app, N + i)).as("POST /payments while Redis is down").isEqualTo(202);
                }
                // Every good message is stored while Redis is still down: the poison does not hold up the queue.
                long good = N - N / POISON_EVERY + drain.accepted.size();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(drain.count()).as("rows while Redis is down").isEqualTo(good));
                int before = TestServices.deadLetters("payments").size();
                assertThat(before).as("letters stored before the cut only").isLessThan(N / POISON_EVERY);
                assertThat(app.get("/metrics").body()).as("the held poison, on /metrics")
                        .containsPattern("(?m)^dlq_held " + (N / POISON_EVERY - before) + "\\.0$");
                sleep(FAULT.minusNanos(System.nanoTime() - cutAt));
                redis.restore();
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(app.get("/health").statusCode()).as("ready again").isEqualTo(200));
            });
        }
    }

    /**
     * SIGTERM while a scheduled pull waits for its source's answer (delayed by the fault's duration, less than
     * the shutdown timeout): the graceful stop lets the run in flight finish, so what it read is stored or
     * dead-lettered and the run recorded, before the app exits.
     */
    @Test
    void aPullStoppedWithSigtermMidRunFinishesItsRun() throws Exception {
        String db = TestDatabase.MARIADB.fresh("fault_posts");
        TestServices.clearDeadLetters();
        StringBuilder items = new StringBuilder("[");
        int poison = 0;
        for (int i = 1; i <= N; i++) {
            boolean bad = i % POISON_EVERY == 0;
            poison += bad ? 1 : 0;
            items.append(i > 1 ? "," : "").append("{\"userId\":1,\"id\":").append(i).append(",\"title\":")
                    .append(bad ? "7" : "\"title " + i + "\"").append(",\"body\":\"body ").append(i).append("\"}");
        }
        String body = items.append("]").toString();
        try (StubApi source = new StubApi()) {
            source.reply(StubApi.Reply.json(body), StubApi.Reply.json(body).delayed(FAULT));
            Drain drain = new Drain(db, Map.of("INGEST_POSTS_ENABLED", "true", "INGEST_POSTS_URL", source.url("/posts"),
                    "INGEST_POSTS_INTERVAL", "1h", "INGEST_PULL_TIMEOUT_MS", Long.toString(FAULT.toMillis() + 10_000),
                    "INGEST_SHUTDOWN_TIMEOUT", Long.toString(FAULT_SECONDS + 20)), "posts");
            try {
                drain.start();
                AppProcess app = drain.instances.get(0);
                await().atMost(Duration.ofSeconds(60)).until(() -> source.calls() >= 1);
                app.terminate();
                assertThat(app.waitForExit(Duration.ofSeconds(FAULT_SECONDS + 40))).as("exit code after SIGTERM").isIn(0, 143);
                long rows = drain.count();
                int dead = TestServices.deadLetters("posts").size();
                List<Map<String, Object>> runs = drain.jdbc.queryForList("SELECT status, records FROM ingestion_runs");
                record("posts: SIGTERM while a pull waits for its source", N, poison,
                        "SIGTERM with the source's answer " + FAULT_SECONDS + " s away", Math.max(0, N - poison - rows),
                        Math.max(0, rows - (N - poison)), dead);
                assertThat(source.calls()).as("one run, one call").isEqualTo(1);
                assertThat(rows).as("rows").isEqualTo(N - poison);
                assertThat(dead).as("dead letters").isEqualTo(poison);
                assertThat(runs).as("the run, recorded").singleElement()
                        .satisfies(run -> assertThat(run.get("status")).isEqualTo("success"));
            } finally {
                drain.close();
            }
        }
    }

    /** RabbitMQ "restarted": every connection dropped and refused for the fault's duration, publishers answered 503 meanwhile. */
    @Test
    void paymentsRideOutARabbitMqRestart() throws Exception {
        try (TcpProxy rabbit = new TcpProxy("127.0.0.1", 5672)) {
            payments("payments: RabbitMQ down mid-drain, POSTs meanwhile", "all AMQP connections cut " + FAULT_SECONDS + " s", 1,
                    Map.of("INGEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:" + rabbit.port() + "/"), (drain) -> {
                AppProcess app = drain.instances.get(0);
                drain.untilStored(N / 4);
                long cutAt = System.nanoTime();
                rabbit.cut();
                List<Integer> refused = new ArrayList<>();
                for (int i = 1; i <= POSTED; i++) {
                    HttpResponse<String> answer = drain.send(app, N + i);
                    if (answer.statusCode() != 202) {
                        assertThat(answer.statusCode()).as("POST /payments while RabbitMQ is down").isEqualTo(503);
                        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                        refused.add(N + i);
                    }
                }
                assertThat(refused).as("refused while down").isNotEmpty();
                sleep(FAULT.minusNanos(System.nanoTime() - cutAt));
                rabbit.restore();
                // A client retries what was refused; once the broker is back it is accepted.
                for (int id : refused) {
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> drain.post(app, id) == 202);
                }
            });
        }
    }

    /**
     * A slow database: a table lock held for the fault's duration mid-drain. Brokers mode holds what it accepted in the
     * broker (202 on), the app holds at most its prefetch in memory (-Xmx256m here) and stays alive.
     */
    @Test
    void paymentsWaitOutATableLock() throws Exception {
        payments("payments: table locked mid-drain, POSTs meanwhile", "LOCK TABLES payment_events WRITE for " + FAULT_SECONDS + " s", 1, (drain) -> {
            AppProcess app = drain.instances.get(0);
            drain.untilStored(N / 4);
            try (Connection lock = DriverManager.getConnection(drain.dbUrl, TestDatabase.MARIADB.user(), "");
                    Statement statement = lock.createStatement()) {
                long lockedAt = System.nanoTime();
                statement.execute("LOCK TABLES payment_events WRITE");
                for (int i = 1; i <= POSTED; i++) {
                    assertThat(drain.post(app, N + i)).as("POST /payments while the table is locked").isEqualTo(202);
                }
                sleep(FAULT.minusNanos(System.nanoTime() - lockedAt));
                assertThat(app.get("/health/live").statusCode()).as("alive under the lock").isEqualTo(200);
                statement.execute("UNLOCK TABLES");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
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
        Drain drain = new Drain(db, Map.of("INGEST_LOGS_QUEUE", queue, "INGEST_LOGS_CONSUMERS", "1"), "logs");
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

    /**
     * Embedded mode, a slow database (a table lock held for the fault's duration): the in-JVM queue fills to its capacity, then
     * POST /payments is refused with 503 + Retry-After instead of holding requests without bound; every
     * payment answered 202 is stored once the lock is released, none refused is.
     */
    @Test
    void embeddedQueueRefusesWhenFullWhileTheTableIsLocked() throws Exception {
        String db = TestDatabase.MARIADB.fresh("fault_embedded");
        int capacity = 200;
        Drain drain = new Drain(db, Map.of("INGEST_MODE", "embedded", "INGEST_QUEUE_CAPACITY", Integer.toString(capacity)),
                "payments");
        try (drain) {
            drain.start();
            AppProcess app = drain.instances.get(0);
            await().atMost(Duration.ofSeconds(60)).until(app::healthy);
            List<Integer> refused = new ArrayList<>();
            try (Connection lock = DriverManager.getConnection(db, TestDatabase.MARIADB.user(), "");
                    Statement statement = lock.createStatement()) {
                long lockedAt = System.nanoTime();
                statement.execute("LOCK TABLES payment_events WRITE");
                for (int id = 1; refused.size() < POSTED && id <= 10 * capacity; id++) {
                    HttpResponse<String> answer = drain.send(app, id);
                    if (answer.statusCode() != 202) {
                        assertThat(answer.statusCode()).as("POST /payments with the in-JVM queue full").isEqualTo(503);
                        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                        assertThat(answer.body()).contains("\"error\"");
                        refused.add(id);
                    }
                }
                assertThat(refused).as("refused once the queue is full").hasSize(POSTED);
                // Bounded: the queue's capacity, plus the records its consumer already took (blocked on the lock).
                assertThat(drain.accepted.size()).isBetween(capacity, capacity + 10);
                sleep(FAULT.minusNanos(System.nanoTime() - lockedAt));
                statement.execute("UNLOCK TABLES");
            }
            int expected = drain.accepted.size();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(drain.count()).as("rows").isEqualTo(expected));
            List<Integer> stored = drain.jdbc.queryForList("SELECT payment_id FROM payment_events", Integer.class);
            record("payments, embedded: table locked, in-JVM queue of " + capacity, expected + refused.size(), 0,
                    "LOCK TABLES payment_events WRITE for " + FAULT_SECONDS + " s; " + refused.size() + " POSTs refused (503 + Retry-After)",
                    drain.accepted.stream().filter(id -> !stored.contains(id)).count(),
                    stored.size() - drain.accepted.size(), 0);
            assertThat(stored).containsExactlyInAnyOrderElementsOf(drain.accepted);
        }
    }

    /**
     * Embedded mode, SIGTERM with the in-JVM queue full behind a table lock: the graceful stop closes the HTTP
     * port first, then drains what was accepted, so every payment answered 202 is stored before the app
     * exits (the lock is released while the stop waits).
     */
    @Test
    void embeddedStoppedWithSigtermDrainsWhatItAccepted() throws Exception {
        String db = TestDatabase.MARIADB.fresh("fault_embedded_stop");
        int capacity = 200;
        Drain drain = new Drain(db, Map.of("INGEST_MODE", "embedded", "INGEST_QUEUE_CAPACITY", Integer.toString(capacity),
                "INGEST_SHUTDOWN_TIMEOUT", Long.toString(FAULT_SECONDS + 30)), "payments");
        try (drain) {
            drain.start();
            AppProcess app = drain.instances.get(0);
            await().atMost(Duration.ofSeconds(60)).until(app::healthy);
            try (Connection lock = DriverManager.getConnection(db, TestDatabase.MARIADB.user(), "");
                    Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLES payment_events WRITE");
                for (int id = 1; drain.post(app, id) == 202 && id <= 10 * capacity; id++) {
                    // fill the queue: the first refusal (503) ends it
                }
                assertThat(drain.accepted.size()).as("accepted before the queue was full").isGreaterThanOrEqualTo(capacity);
                long stoppedAt = System.nanoTime();
                app.terminate();
                sleep(FAULT.minusNanos(System.nanoTime() - stoppedAt));
                assertThat(app.alive()).as("still draining, the table locked").isTrue();
                statement.execute("UNLOCK TABLES");
            }
            app.waitForExit(Duration.ofSeconds(FAULT_SECONDS + 60));
            List<Integer> stored = drain.jdbc.queryForList("SELECT payment_id FROM payment_events", Integer.class);
            record("payments, embedded: SIGTERM with the in-JVM queue full", drain.accepted.size(), 0,
                    "LOCK TABLES payment_events WRITE, SIGTERM, lock released " + FAULT_SECONDS + " s later",
                    drain.accepted.stream().filter(id -> !stored.contains(id)).count(), stored.size() - drain.accepted.size(), 0);
            assertThat(stored).containsExactlyInAnyOrderElementsOf(drain.accepted);
        }
    }

    /** The Kafka broker restarted (stopped for the fault's duration, started on the same port and log directory). */
    @Test
    void eventsRideOutAKafkaRestart() throws Exception {
        events("events: Kafka broker restarted mid-drain, POSTs meanwhile", "broker stopped " + FAULT_SECONDS + " s, started again", 1, (drain) -> {
            AppProcess app = drain.instances.get(0);
            drain.untilStored(N / 4);
            long stoppedAt = System.nanoTime();
            kafka().stop();
            List<String> refused = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String id = "posted-" + i;
                HttpResponse<String> answer = app.post("/produce", userCreated(id));
                assertThat(answer.statusCode()).as("POST /produce while Kafka is down").isEqualTo(503);
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                refused.add(id);
            }
            sleep(FAULT.minusNanos(System.nanoTime() - stoppedAt));
            kafka().start();
            for (String id : refused) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> app.post("/produce", userCreated(id)).statusCode() == 202);
                drain.acceptedEvents.add(id);
            }
        });
    }

    @Test
    void eventsStoppedWithSigtermMidDrainLoseNothing() throws Exception {
        events("events: SIGTERM mid-drain, restart", "SIGTERM at ~1/3", 1, Drain::terminateAtAThirdAndRestart);
    }

    @Test
    void eventsThreeInstancesOneKilledLoseAndDuplicateNothing() throws Exception {
        events("events: 3 instances, one killed mid-drain", "3 members of one group, SIGKILL of one at ~1/3", 3,
                Drain::killOneAtAThird);
    }

    /**
     * N UserCreated events (distinct users, every POISON_EVERY-th record not JSON) on a topic of three
     * partitions of the test's own broker, drained with the fault injected; events the fault POSTs and gets
     * a 202 for are expected too. Checks rows, dead letters, committed offsets.
     */
    private void events(String scenario, String faults, int instances, Consumer<Drain> fault) throws Exception {
        String topic = TestKafka.freshTopic("fault-events");
        String group = topic + "-group";
        String db = TestDatabase.MARIADB.fresh("fault_events");
        TestServices.clearDeadLetters();
        kafka().createTopic(topic, 3);
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        int poison = 0;
        for (int i = 1; i <= N; i++) {
            boolean bad = i % POISON_EVERY == 0;
            poison += bad ? 1 : 0;
            String user = "user-" + i;
            records.add(new AbstractMap.SimpleEntry<>(user, (bad ? "not json " + i : userCreated(user)).getBytes(StandardCharsets.UTF_8)));
        }
        kafka().sendAll(topic, records);
        Drain drain = new Drain(db, Map.of("INGEST_KAFKA_BROKERS", kafka().brokers(), "INGEST_EVENTS_TOPIC", topic,
                "INGEST_EVENTS_GROUP_ID", group, "INGEST_EVENTS_CONSUMERS", "3", "INGEST_EVENTS_MAX_POLL_RECORDS", "100",
                "INGEST_EVENTS_POLL_TIMEOUT_MS", "200", "INGEST_EVENTS_SESSION_TIMEOUT_MS",
                Long.toString(TestKafka.sessionTimeout().toMillis()), "INGEST_EVENTS_PRODUCE_TIMEOUT_MS", "3000"), "events");
        try {
            for (int i = 0; i < instances; i++) {
                drain.start();
            }
            fault.accept(drain);
            int expected = N - poison + drain.acceptedEvents.size();
            int expectedPoison = poison;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(drain.count()).as("rows").isEqualTo(expected);
                assertThat(TestServices.deadLetters("events")).as("dead letters").hasSize(expectedPoison);
            });
            long written = N + drain.acceptedEvents.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka().committed(group) == written);
            // Events are keyed: a record applied twice would show as a duplicate outcome, not a second row.
            long reapplied = drain.jdbc.queryForObject("SELECT COUNT(*) FROM processed_events", Long.class);
            record(scenario, (int) written, poison, faults, Math.max(0, expected - drain.count()),
                    Math.max(0, drain.count() - expected) + reapplied, TestServices.deadLetters("events").size());
            assertThat(drain.count()).isEqualTo(expected);
            assertThat(reapplied).as("no event recorded as superseded or reapplied").isZero();
            assertThat(TestServices.deadLetters("events")).hasSize(poison);
        } finally {
            drain.close();
        }
    }

    private static String userCreated(String user) {
        return "{\"eventId\":\"evt-" + user + "\",\"eventType\":\"UserCreated\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                + "\"userId\":\"" + user + "\",\"email\":\"" + user + "@example.com\",\"name\":\"U " + user + "\"}";
    }

    /** The suite's own Kafka broker, which the Kafka scenarios stop and start (the shared one is left alone). */
    private static synchronized RestartableKafka kafka() {
        if (kafka == null) {
            try {
                kafka = new RestartableKafka();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return kafka;
    }

    private void payments(String scenario, String faults, int instances, Consumer<Drain> fault) throws Exception {
        payments(scenario, faults, instances, Map.of(), fault);
    }

    /**
     * N payments, distinct ids, every POISON_EVERY-th one invalid, drained with the fault injected; the fault
     * may POST more (valid, ids above N): each one answered 202 must be stored too.
     */
    private void payments(String scenario, String faults, int instances, Map<String, String> overrides, Consumer<Drain> fault)
            throws Exception {
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
        env.putAll(overrides);
        Drain drain = new Drain(db, env, "payments");
        try {
            for (int i = 0; i < instances; i++) {
                drain.start();
            }
            fault.accept(drain);
            int expected = N - poison + drain.accepted.size();
            int expectedPoison = poison;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(drain.count()).as("rows").isEqualTo(expected);
                assertThat(TestServices.deadLetters("payments")).as("dead letters").hasSize(expectedPoison);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.queueDepth(queue) == 0);
            long skipped = drain.jdbc.queryForObject("SELECT COUNT(*) FROM skipped_messages", Long.class);
            // A message stored twice would be a second row (impossible under the key) or a false skipped_messages row.
            record(scenario, N + drain.accepted.size(), poison, faults, Math.max(0, expected - drain.count()),
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
        if (duration.isNegative()) {
            return;
        }
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
        final String dbUrl;
        /** Payment ids POSTed during the fault and answered 202. */
        final Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        /** User ids POSTed to /produce during the fault and answered 202. */
        final Set<String> acceptedEvents = ConcurrentHashMap.newKeySet();
        private final Map<String, String> env = new HashMap<>();
        private final String table;

        Drain(String dbUrl, Map<String, String> pipelineEnv, String pipeline) {
            this.dbUrl = dbUrl;
            this.jdbc = new JdbcTemplate(new DriverManagerDataSource(dbUrl, TestDatabase.MARIADB.user(), ""));
            this.table = switch (pipeline) {
                case "payments" -> "payment_events";
                case "events" -> "users";
                default -> pipeline;
            };
            env.put("INGEST_MODE", "brokers");
            env.put("INGEST_DB_URL", dbUrl);
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
            String viaProxy = env.remove(DB_VIA_PROXY);
            if (viaProxy != null) {
                env.put("INGEST_DB_URL", dbUrl.replace(":3306/", ":" + viaProxy + "/"));
            }
        }

        /** SIGTERM to the (first) instance once a third is stored; wait for its exit, start another. */
        void terminateAtAThirdAndRestart() {
            untilStored(N / 3);
            AppProcess first = instances.get(0);
            first.terminate();
            try {
                first.waitForExit(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            start();
        }

        /** SIGKILL of one of several instances once a third is stored; the others finish the drain. */
        void killOneAtAThird() {
            untilStored(N / 3);
            instances.get(1).kill();
        }

        /** POST /payments of a valid payment; remembers it when answered 202. */
        HttpResponse<String> send(AppProcess app, int paymentId) {
            HttpResponse<String> answer = app.post("/payments",
                    "{\"user_id\": 7, \"payment_id\": " + paymentId + ", \"deposit_amount\": 2.5}");
            if (answer.statusCode() == 202) {
                accepted.add(paymentId);
            }
            return answer;
        }

        int post(AppProcess app, int paymentId) {
            return send(app, paymentId).statusCode();
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
