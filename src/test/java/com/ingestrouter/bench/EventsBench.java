package com.ingestrouter.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.RedisClient;

/**
 * events: raw limits (database batched upsert of the same rows, Kafka consume), the naive baseline and
 * the product draining a pre-loaded topic with several partitions. The mix is users and product reviews
 * (no foreign keys between partitions, so no run waits on the missing-parent window).
 */
final class EventsBench {
    static final String TOPIC = "bench-events";
    static final int PARTITIONS = 4;
    static final int INVALID_EVERY = 100;
    /** Every valid event of this mix writes one row of its own (each user and review id is new). */
    private static final String ROWS = "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM product_reviews)";
    private static final String WRITTEN = "(SELECT updated_at FROM users UNION ALL SELECT updated_at FROM product_reviews) w";
    private final int n;
    private final Path jar;
    private final RedisClient redis;
    private final int redisDb;
    private final String brokers;
    private int round;

    EventsBench(int n, Path jar, RedisClient redis, int redisDb, String brokers) {
        this.n = n;
        this.jar = jar;
        this.redis = redis;
        this.redisDb = redisDb;
        this.brokers = brokers;
    }

    int invalid() {
        return n / INVALID_EVERY;
    }

    /** Event i: even i a UserCreated, odd i a ProductReview; every INVALID_EVERY-th has rating 9. */
    static String event(int i) {
        String ts = "2026-11-25T10:00:00Z";
        if (i % INVALID_EVERY == 0) {
            return "{\"eventId\":\"bench-" + i + "\",\"type\":\"ProductReview\",\"timestamp\":\"" + ts
                    + "\",\"data\":{\"reviewId\":\"r" + i + "\",\"productName\":\"p" + (i % 50) + "\",\"username\":\"u\",\"rating\":9}}";
        }
        if (i % 2 == 0) {
            return "{\"eventId\":\"bench-" + i + "\",\"type\":\"UserCreated\",\"timestamp\":\"" + ts
                    + "\",\"data\":{\"userId\":\"u" + i + "\",\"email\":\"u" + i + "@example.com\",\"name\":\"User " + i + "\"}}";
        }
        return "{\"eventId\":\"bench-" + i + "\",\"type\":\"ProductReview\",\"timestamp\":\"" + ts
                + "\",\"data\":{\"reviewId\":\"r" + i + "\",\"productName\":\"p" + (i % 50) + "\",\"username\":\"u" + (i % 300)
                + "\",\"rating\":" + (i % 5 + 1) + ",\"remarks\":\"fine\"}}";
    }

    static String key(int i) {
        return i % 2 == 0 && i % INVALID_EVERY != 0 ? "u" + i : "r" + i;
    }

    /** A fresh topic with PARTITIONS partitions, pre-loaded with the N events (acks=all). */
    String preload() throws Exception {
        String topic = TOPIC + "-" + (++round) + "-" + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        send(topic, 1);
        return topic;
    }

    /** Events first .. first + N - 1 into the topic (acks=all). */
    void send(String topic, int first) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Seen once in a CI smoke run: the idempotent producer looping on OUT_OF_ORDER_SEQUENCE_NUMBER.
        // The pre-load does not need idempotence (a resent record is a duplicate the ledger absorbs,
        // and the run counts ledger rows), and a failed send must fail the run, not hide.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>(n);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = first; i < first + n; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, key(i), event(i).getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        for (var future : sent) {
            future.get(1, TimeUnit.MINUTES);
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The broker's limit: poll the pre-loaded topic and do nothing else. */
    double rawKafkaConsumeRate() throws Exception {
        String topic = preload();
        try (KafkaConsumer<String, byte[]> consumer = consumer("raw-" + topic)) {
            consumer.subscribe(List.of(topic));
            long seen = 0;
            long start = System.nanoTime();
            while (seen < n) {
                seen += consumer.poll(Duration.ofMillis(500)).count();
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The database's best for the same rows: per event its target row (with eventId and hash), 1000 events per transaction. */
    double rawDatabaseUpsertRate() throws SQLException {
        Mariadb.fresh();
        try (Connection c = Mariadb.bulk()) {
            c.setAutoCommit(false);
            Timestamp now = Timestamp.from(Instant.now());
            String hash = "0".repeat(64);
            long start = System.nanoTime();
            try (PreparedStatement users = c.prepareStatement("INSERT INTO users (user_id, email, name, event_id, content_hash, updated_at) "
                         + "VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE email = VALUES(email), name = VALUES(name), "
                         + "event_id = VALUES(event_id), content_hash = VALUES(content_hash), updated_at = VALUES(updated_at)");
                 PreparedStatement reviews = c.prepareStatement("INSERT INTO product_reviews (review_id, product_name, username, "
                         + "rating, remarks, event_id, content_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                         + "product_name = VALUES(product_name), username = VALUES(username), rating = VALUES(rating), "
                         + "remarks = VALUES(remarks), event_id = VALUES(event_id), content_hash = VALUES(content_hash), "
                         + "updated_at = VALUES(updated_at)")) {
                for (int i = 1; i <= n; i++) {
                    String id = "bench-" + i;
                    if (i % 2 == 0) {
                        users.setString(1, "u" + i);
                        users.setString(2, "u" + i + "@example.com");
                        users.setString(3, "User " + i);
                        users.setString(4, id);
                        users.setString(5, hash);
                        users.setTimestamp(6, now);
                        users.addBatch();
                    } else {
                        reviews.setString(1, "r" + i);
                        reviews.setString(2, "p" + (i % 50));
                        reviews.setString(3, "u" + (i % 300));
                        reviews.setInt(4, i % 5 + 1);
                        reviews.setString(5, "fine");
                        reviews.setString(6, id);
                        reviews.setString(7, hash);
                        reviews.setTimestamp(8, now);
                        reviews.addBatch();
                    }
                    if (i % 1000 == 0 || i == n) {
                        users.executeBatch();
                        reviews.executeBatch();
                        c.commit();
                    }
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** The reference design: one record, one autocommit upsert, one offset commit. */
    double naiveBaselineRate() throws Exception {
        Mariadb.fresh();
        String topic = preload();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (KafkaConsumer<String, byte[]> consumer = consumer("naive-" + topic); Connection db = Mariadb.plain();
             PreparedStatement users = db.prepareStatement("INSERT INTO users (user_id, email, name, event_id, updated_at) "
                     + "VALUES (?, ?, ?, ?, NOW(6)) ON DUPLICATE KEY UPDATE name = VALUES(name)");
             PreparedStatement reviews = db.prepareStatement("INSERT INTO product_reviews (review_id, product_name, username, "
                     + "rating, event_id, updated_at) VALUES (?, ?, ?, ?, ?, NOW(6)) ON DUPLICATE KEY UPDATE rating = VALUES(rating)")) {
            consumer.subscribe(List.of(topic));
            long seen = 0;
            long start = System.nanoTime();
            while (seen < n) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    var event = json.readTree(record.value());
                    var data = event.get("data");
                    if ("UserCreated".equals(event.get("type").asText())) {
                        users.setString(1, data.get("userId").asText());
                        users.setString(2, data.get("email").asText());
                        users.setString(3, data.get("name").asText());
                        users.setString(4, event.get("eventId").asText());
                        users.executeUpdate();
                    } else if (data.get("rating").asInt() <= 5) {
                        reviews.setString(1, data.get("reviewId").asText());
                        reviews.setString(2, data.get("productName").asText());
                        reviews.setString(3, data.get("username").asText());
                        reviews.setInt(4, data.get("rating").asInt());
                        reviews.setString(5, event.get("eventId").asText());
                        reviews.executeUpdate();
                    }
                    consumer.commitSync(Map.of(new org.apache.kafka.common.TopicPartition(record.topic(), record.partition()),
                            new org.apache.kafka.clients.consumer.OffsetAndMetadata(record.offset() + 1)));
                    seen++;
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Pre-loaded topic, then the product drains it; rate from the first to the last row written. */
    PaymentsBench.ProductRun productDrain(Map<String, String> tuning, Path log) throws Exception {
        Mariadb.fresh();
        redis.del("dlq:events", "dlq-entries:events");
        String topic = preload();
        Map<String, String> env = new HashMap<>(Map.of(
                "INGEST_MODE", "brokers",
                "INGEST_DB_URL", Mariadb.URL,
                "INGEST_DB_USER", "root",
                "INGEST_REDIS_URL", "redis://127.0.0.1:6379/" + redisDb,
                "INGEST_KAFKA_BROKERS", brokers,
                "INGEST_EVENTS_TOPIC", topic,
                "INGEST_EVENTS_GROUP_ID", "product-" + topic,
                "INGEST_PAYMENTS_QUEUE", PaymentsBench.QUEUE));
        env.putAll(tuning);
        try (AppUnderBench app = AppUnderBench.start(jar, env, log)) {
            app.awaitReady(Duration.ofSeconds(120));
            long expected = n - invalid();
            long deadline = System.nanoTime() + BenchMain.drainTimeout().toNanos();
            CpuMeter cpu = app.cpuMeter();
            long seen;
            while ((seen = Mariadb.count(ROWS)) < expected || redis.zcard("dlq:events") < invalid()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("events drain did not finish");
                }
                if (seen > 0 && !cpu.started()) {
                    cpu.start();
                }
                Thread.sleep(100);
            }
            Map<String, Double> cpuUse = cpu.started() ? cpu.stop() : Map.of();
            BenchMain.log("  events cpu (% of one core): " + cpuUse);
            long rows = Mariadb.count(ROWS);
            long dead = redis.zcard("dlq:events");
            if (rows != expected || dead != invalid()) {
                throw new IllegalStateException("events not exact: rows " + rows + "/" + expected
                        + ", dead letters " + dead + "/" + invalid());
            }
            BenchMain.log("  events db time: " + AppUnderBench.metricLines("db_latency_seconds_count{operation=\"apply-batch\"")
                    + "; " + AppUnderBench.metricLines("db_latency_seconds_sum{operation=\"apply-batch\""));
            double seconds = Mariadb.count("SELECT TIMESTAMPDIFF(MICROSECOND, MIN(updated_at), MAX(updated_at)) FROM " + WRITTEN) / 1e6;
            double cold = expected / seconds;

            // Warm: the same app, past JIT warm-up, drains N more events; its consumer route is stopped
            // (over Jolokia) while they are produced, so the drain is not paced by the producer.
            app.route("events.consume", "stop");
            String coldEnd = Mariadb.text("SELECT MAX(updated_at) FROM " + WRITTEN);
            send(topic, n + 1);
            CpuMeter warmCpu = app.cpuMeter();
            warmCpu.start();
            app.route("events.consume", "start");
            while (Mariadb.count(ROWS) < 2 * expected || redis.zcard("dlq:events") < 2L * invalid()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("events warm drain did not finish");
                }
                Thread.sleep(100);
            }
            Map<String, Double> warmCpuUse = warmCpu.stop();
            BenchMain.log("  events warm cpu (% of one core): " + warmCpuUse);
            long warmRows = Mariadb.count(ROWS);
            if (warmRows != 2 * expected || redis.zcard("dlq:events") != 2L * invalid()) {
                throw new IllegalStateException("events not exact after the warm drain: rows " + warmRows + "/" + 2 * expected);
            }
            double warmSeconds = Mariadb.count("SELECT TIMESTAMPDIFF(MICROSECOND, MIN(updated_at), MAX(updated_at)) FROM " + WRITTEN
                    + " WHERE updated_at > '" + coldEnd + "'") / 1e6;
            return new PaymentsBench.ProductRun(cold, expected / warmSeconds, app.startupSeconds(), app.peakRssMb(), app.peakHeapMb(),
                    cpuUse, warmCpuUse);
        }
    }

    List<String> userIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 2; i <= n; i += 2) {
            if (i % INVALID_EVERY != 0) {
                ids.add("u" + i);
            }
        }
        return ids;
    }
}
