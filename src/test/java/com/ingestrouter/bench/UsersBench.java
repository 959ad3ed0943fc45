package com.ingestrouter.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import redis.clients.jedis.RedisClient;

/**
 * The "users upsert" workload of issue 11, the one Kafka Connect's JDBC sink is measured on
 * (../shared/peer-bench): N records keyed by userId on a 3-partition topic; 80% bring a new userId k,
 * every record i with i % 5 == 4 re-sends an earlier one (java.util.Random(seed).nextInt(distinct so
 * far)) renamed "User k rev i". Here each record is a UserCreated event with a fresh eventId. The drain
 * is timed from the app's launch, like the peer's from its connector's creation, until the final state
 * is there: COUNT(*) = distinct and SUM(CRC32(CONCAT_WS('|',user_id,name,email))) = expected.
 */
final class UsersBench {
    static final int PARTITIONS = 3;
    static final long SEED = 42;
    private static final long BASE_SECONDS = 1735689600L; // 2025-01-01T00:00:00Z
    private static final String CHECK = "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|',user_id,name,email))),0) FROM users";
    private final int n;
    private final Path jar;
    private final RedisClient redis;
    private final int redisDb;
    private final String brokers;
    /** MariaDB by default; BENCH_USERS_DB_URL=jdbc:postgresql://127.0.0.1:5432/ingest_bench measures PostgreSQL. */
    private final String url = System.getenv().getOrDefault("BENCH_USERS_DB_URL", Mariadb.URL);
    private final boolean postgres = url.startsWith("jdbc:postgresql:");
    private final String user = postgres ? "postgres" : "root";
    private int round;

    UsersBench(int n, Path jar, RedisClient redis, int redisDb, String brokers) {
        this.n = n;
        this.jar = jar;
        this.redis = redis;
        this.redisDb = redisDb;
        this.brokers = brokers;
    }

    interface Row {
        void row(int i, String userId, String name, String email, long createdAtSeconds) throws Exception;
    }

    /** The records in order; the same generator as the peer kit's Workload (same N and seed, same rows). */
    static void forEach(int n, long seed, Row sink) throws Exception {
        Random rnd = new Random(seed);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            int k;
            String name;
            if (i % 5 == 4) {
                k = rnd.nextInt(distinct);
                name = "User " + k + " rev " + i;
            } else {
                k = distinct++;
                name = "User " + k;
            }
            sink.row(i, userId(k), name, "user" + k + "@example.com", BASE_SECONDS + k);
        }
    }

    static String userId(int k) {
        return "u" + String.format("%09d", k);
    }

    static int distinct(int n) {
        return n - n / 5;
    }

    /** Sum over the final rows of CRC32(user_id|name|email), as MariaDB computes it. */
    static long expectedChecksum(int n, long seed) throws Exception {
        String[] finalName = new String[distinct(n)];
        forEach(n, seed, (i, id, name, email, ts) -> finalName[Integer.parseInt(id.substring(1))] = name);
        long sum = 0;
        CRC32 crc = new CRC32();
        for (int k = 0; k < finalName.length; k++) {
            crc.reset();
            crc.update((userId(k) + "|" + finalName[k] + "|user" + k + "@example.com").getBytes(StandardCharsets.UTF_8));
            sum += crc.getValue();
        }
        return sum;
    }

    /**
     * The peer kit's expectation for the same N and seed, if a run of it left one: the product must be
     * checked against the same final state as the peer.
     */
    static Optional<Long> peerChecksum(int n, long seed) {
        Path results = Path.of(System.getenv().getOrDefault("PEER_WORK", "/tmp/peer"), "results");
        if (!Files.isDirectory(results)) {
            return Optional.empty();
        }
        try (var runs = Files.list(results)) {
            for (Path run : runs.sorted(Comparator.reverseOrder()).toList()) {
                Path file = run.resolve("expected.properties");
                if (!Files.exists(file)) {
                    continue;
                }
                Properties p = new Properties();
                try (var in = Files.newInputStream(file)) {
                    p.load(in);
                }
                if (String.valueOf(n).equals(p.getProperty("n")) && String.valueOf(seed).equals(p.getProperty("seed"))) {
                    return Optional.of(Long.parseLong(p.getProperty("checksum")));
                }
            }
        } catch (Exception e) {
            BenchMain.log("  could not read the peer's expected.properties: " + e);
        }
        return Optional.empty();
    }

    static String event(String eventId, String userId, String name, String email, long createdAtSeconds) {
        String at = Instant.ofEpochSecond(createdAtSeconds).toString();
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"UserCreated\",\"timestamp\":\"" + at + "\",\"data\":{\"userId\":\""
                + userId + "\",\"email\":\"" + email + "\",\"name\":\"" + name + "\",\"createdAt\":\"" + at + "\"}}";
    }

    /** A fresh topic with the N records (acks=all); every record a fresh eventId. */
    String preload() throws Exception {
        String topic = "bench-users-" + (++round) + "-" + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Producing before every partition has its leader gave NOT_LEADER_OR_FOLLOWER and then the
            // idempotent producer's OUT_OF_ORDER_SEQUENCE loop (seen on a busy machine).
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .stream().allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty())) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("topic " + topic + " has partitions without a leader");
                }
                Thread.sleep(100);
            }
        }
        Properties p = new Properties();
        // Not idempotent (see EventsBench), but one request in flight, so a retry cannot reorder a key's updates.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        List<Future<RecordMetadata>> sent = new ArrayList<>(n);
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            String prefix = topic + "-";
            forEach(n, SEED, (i, id, name, email, ts) -> sent.add(producer.send(new ProducerRecord<>(topic, id,
                    event(prefix + i, id, name, email, ts).getBytes(StandardCharsets.UTF_8)))));
            producer.flush();
        }
        for (Future<RecordMetadata> future : sent) {
            future.get(1, TimeUnit.MINUTES);
        }
        BenchMain.log(String.format("  users: loaded %d records into %s in %.1f s", n, topic, (System.nanoTime() - t0) / 1e9));
        return topic;
    }

    /** One timed drain: the figures of the table for the product. */
    record Result(double fromStart, double afterFirstRow, double firstRowSeconds, double seconds, double cpuUsPerEvent,
            double cpuUsPerEventAfterFirstRow, double peakRssMb, Map<String, Double> cpu) {
    }

    Result productDrain(Map<String, String> tuning, Path log) throws Exception {
        long expected = expectedChecksum(n, SEED);
        peerChecksum(n, SEED).ifPresentOrElse(peer -> {
            if (peer != expected) {
                throw new IllegalStateException("users workload differs from the peer's: checksum " + expected + " vs " + peer);
            }
            BenchMain.log("  users: expected checksum " + expected + " equals the peer kit's for N=" + n);
        }, () -> BenchMain.log("  users: no peer expected.properties for N=" + n + "; checksum " + expected));
        // Empty: the app migrates it, as on a first start.
        empty();
        redis.del("dlq:events", "dlq-entries:events");
        String topic = preload();
        Map<String, String> env = new HashMap<>(Map.of(
                "INGEST_MODE", "brokers",
                "INGEST_DB_URL", url,
                "INGEST_DB_USER", user,
                "INGEST_REDIS_URL", "redis://127.0.0.1:6379/" + redisDb,
                "INGEST_KAFKA_BROKERS", brokers,
                "INGEST_EVENTS_TOPIC", topic,
                "INGEST_EVENTS_GROUP_ID", "product-" + topic,
                "INGEST_EVENTS_CONSUMERS", Integer.toString(PARTITIONS),
                "INGEST_PAYMENTS_QUEUE", PaymentsBench.QUEUE));
        env.putAll(tuning);
        int distinct = distinct(n);
        long deadline = System.nanoTime() + BenchMain.drainTimeout().toNanos();
        long launch = System.nanoTime();
        try (AppUnderBench app = AppUnderBench.start(jar, env, log)) {
            CpuMeter total = app.cpuMeter();
            total.start();
            CpuMeter steady = app.cpuMeter();
            double first = Double.NaN;
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("users drain did not finish");
                }
                if (!app.alive()) {
                    throw new IllegalStateException("app exited during the users drain; see " + log);
                }
                long[] state = check();
                long now = System.nanoTime();
                if (state[0] > 0 && Double.isNaN(first)) {
                    first = (now - launch) / 1e9;
                    steady.start();
                }
                if (state[0] == distinct && checksum(state) == expected) {
                    double seconds = (now - launch) / 1e9;
                    Map<String, Double> cpu = total.stop();
                    Map<String, Double> steadyCpu = steady.stop();
                    long dead = redis.zcard("dlq:events");
                    if (dead != 0) {
                        throw new IllegalStateException("users drain dead-lettered " + dead + " events");
                    }
                    // % of one core x seconds = CPU seconds; per event in µs.
                    double cpuUs = cpu.get("app") / 100 * seconds / n * 1e6;
                    double steadyUs = steadyCpu.get("app") / 100 * (seconds - first) / n * 1e6;
                    BenchMain.log("  users cpu from launch (% of one core): " + cpu + "; after the first row: " + steadyCpu);
                    return new Result(n / seconds, n / (seconds - first), first, seconds, cpuUs, steadyUs, app.peakRssMb(),
                            steadyCpu);
                }
                if (state[0] > distinct) {
                    throw new IllegalStateException("users: " + state[0] + " rows, more than the " + distinct + " distinct ids");
                }
                Thread.sleep(Double.isNaN(first) ? 50 : 200);
            }
        }
    }

    private java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(postgres ? url : url.replace("jdbc:mariadb:", "jdbc:mysql:"), user, "");
    }

    /** The database without any table (PostgreSQL: the database named in the URL, recreated). */
    private void empty() throws Exception {
        if (!postgres) {
            Mariadb.empty();
            return;
        }
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (var c = java.sql.DriverManager.getConnection(url.substring(0, url.lastIndexOf('/') + 1) + "postgres", user, "");
             var s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** {COUNT(*), checksum}; on PostgreSQL (no CRC32) the checksum is left to {@link #checksum}. */
    private long[] check() throws Exception {
        String sql = postgres ? "SELECT COUNT(*), 0 FROM users" : CHECK;
        try (var c = connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() == 1146 || "42P01".equals(e.getSQLState())) {
                return new long[] {0, 0}; // the app has not migrated the fresh database yet
            }
            throw e;
        }
    }

    /** The final-state checksum: MariaDB's from the query, PostgreSQL's computed here from the rows. */
    private long checksum(long[] state) throws Exception {
        if (!postgres) {
            return state[1];
        }
        long sum = 0;
        CRC32 crc = new CRC32();
        try (var c = connect(); var s = c.createStatement(); var rs = s.executeQuery("SELECT user_id, name, email FROM users")) {
            while (rs.next()) {
                crc.reset();
                crc.update((rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3)).getBytes(StandardCharsets.UTF_8));
                sum += crc.getValue();
            }
        }
        return sum;
    }

    /**
     * The database's limit for the product's own table (its indexes: unique email, created_at): the same
     * rows with eventId, hash and update time, one connection, batched upserts of 1000 rows per commit
     * (mysql-connector-j rewriteBatchedStatements; PostgreSQL reWriteBatchedInserts). Returns {rows/s,
     * client CPU µs per row}.
     */
    double[] rawProductTable() throws Exception {
        empty();
        try (com.ingestrouter.sql.Database db = new com.ingestrouter.sql.Database(url, user, "", 2)) {
            db.migrate();
        }
        String jdbcUrl = postgres ? url + "?reWriteBatchedInserts=true"
                : url.replace("jdbc:mariadb:", "jdbc:mysql:") + "?rewriteBatchedStatements=true&useServerPrepStmts=false";
        String sql = "INSERT INTO users (user_id, name, email, created_at, event_id, content_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + (postgres ? "ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, "
                        + "created_at = EXCLUDED.created_at, event_id = EXCLUDED.event_id, content_hash = EXCLUDED.content_hash, "
                        + "updated_at = EXCLUDED.updated_at"
                : "ON DUPLICATE KEY UPDATE name = VALUES(name), email = VALUES(email), created_at = VALUES(created_at), "
                        + "event_id = VALUES(event_id), content_hash = VALUES(content_hash), updated_at = VALUES(updated_at)");
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, user, ""); var ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false);
            java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
            String hash = "0".repeat(64);
            // A key twice in one batch collapses to its last row (PostgreSQL refuses a multi-row upsert that
            // touches a row twice; the product collapses the same way).
            Map<String, Object[]> batch = new LinkedHashMap<>();
            int[] inBatch = {0};
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            forEach(n, SEED, (i, id, name, email, ts) -> {
                batch.remove(id);
                batch.put(id, new Object[] {id, name, email, new java.sql.Timestamp(ts * 1000), "raw-" + i});
                if (++inBatch[0] == 1000) {
                    flush(ps, batch, hash, now);
                    c.commit();
                    inBatch[0] = 0;
                }
            });
            if (!batch.isEmpty()) {
                flush(ps, batch, hash, now);
                c.commit();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
            long[] state = check();
            if (state[0] != distinct(n) || checksum(state) != expectedChecksum(n, SEED)) {
                throw new IllegalStateException("raw upsert final state wrong: " + state[0] + " rows");
            }
            return new double[] {n / seconds, cpuUs};
        }
    }

    private static void flush(java.sql.PreparedStatement ps, Map<String, Object[]> batch, String hash, java.sql.Timestamp now)
            throws java.sql.SQLException {
        for (Object[] row : batch.values()) {
            ps.setString(1, (String) row[0]);
            ps.setString(2, (String) row[1]);
            ps.setString(3, (String) row[2]);
            ps.setTimestamp(4, (java.sql.Timestamp) row[3]);
            ps.setString(5, (String) row[4]);
            ps.setString(6, hash);
            ps.setTimestamp(7, now);
            ps.addBatch();
        }
        ps.executeBatch();
        batch.clear();
    }

    static Map<String, String> describe(Result r) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rows/s from launch", String.format("%.0f", r.fromStart()));
        m.put("rows/s after first row", String.format("%.0f", r.afterFirstRow()));
        m.put("first row s", String.format("%.2f", r.firstRowSeconds()));
        m.put("total s", String.format("%.2f", r.seconds()));
        m.put("app CPU µs/event (from launch)", String.format("%.0f", r.cpuUsPerEvent()));
        m.put("app CPU µs/event (after first row)", String.format("%.0f", r.cpuUsPerEventAfterFirstRow()));
        m.put("peak RSS MiB", String.format("%.0f", r.peakRssMb()));
        return m;
    }
}
