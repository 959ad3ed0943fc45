package com.ingestrouter.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/** payments: raw limits (database bulk upsert, RabbitMQ drain), the naive baseline, and the product. */
final class PaymentsBench {
    static final String QUEUE = "bench-payments";
    /** Every this-many-th message is invalid, so the run also exercises (and checks) dead-lettering. */
    static final int INVALID_EVERY = 100;
    private final int n;
    private final Path jar;
    private final RedisClient redis;
    private final int redisDb;
    /** BENCH_PAYMENTS_PARTITIONS: the product drains that many ordered partitions (0: the one queue). */
    private final int partitions = Integer.parseInt(System.getenv().getOrDefault("BENCH_PAYMENTS_PARTITIONS", "0"));

    PaymentsBench(int n, Path jar, RedisClient redis, int redisDb) {
        this.n = n;
        this.jar = jar;
        this.redis = redis;
        this.redisDb = redisDb;
    }

    List<byte[]> messages() {
        return messages(0);
    }

    /** N messages with payment ids from offset + 1. */
    List<byte[]> messages(long offset) {
        List<byte[]> messages = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            long id = offset + i;
            String body = i % INVALID_EVERY == 0
                    ? "{\"user_id\": -1, \"payment_id\": " + id + ", \"deposit_amount\": 1}"
                    : "{\"user_id\": " + (i % 997 + 1) + ", \"payment_id\": " + id + ", \"deposit_amount\": " + (i % 5000) + ".25}";
            messages.add(body.getBytes(StandardCharsets.UTF_8));
        }
        return messages;
    }

    int invalid() {
        return n / INVALID_EVERY;
    }

    /** The database's best: JDBC-batched upserts of payment_events rows, 1000 per transaction. */
    double rawDatabaseUpsertRate() throws SQLException {
        Mariadb.fresh();
        try (Connection c = Mariadb.bulk()) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO payment_events (payment_id, user_id, deposit_amount) "
                    + "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), deposit_amount = VALUES(deposit_amount)")) {
                for (int i = 1; i <= n; i++) {
                    ps.setLong(1, i);
                    ps.setLong(2, i % 997 + 1);
                    ps.setBigDecimal(3, new BigDecimal(i % 5000 + ".25"));
                    ps.addBatch();
                    if (i % 1000 == 0 || i == n) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    double rawRabbitDrainRate(Rabbit rabbit) throws Exception {
        rabbit.freshQueue(QUEUE);
        rabbit.preload(QUEUE, messages());
        return rabbit.rawDrainRate(QUEUE, n);
    }

    /** The reference design: one message, one autocommit insert, one ack. */
    double naiveBaselineRate(Rabbit rabbit) throws Exception {
        Mariadb.fresh();
        rabbit.freshQueue(QUEUE);
        rabbit.preload(QUEUE, messages());
        Connection db = Mariadb.plain();
        PreparedStatement insert = db.prepareStatement(
                "INSERT INTO payment_events (payment_id, user_id, deposit_amount) VALUES (?, ?, ?)");
        PreparedStatement skip = db.prepareStatement(
                "INSERT INTO skipped_messages (payment_id, user_id, deposit_amount) VALUES (?, ?, ?)");
        Channel ch = rabbit.channel();
        ch.basicQos(50);
        CountDownLatch done = new CountDownLatch(n);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        long start = System.nanoTime();
        ch.basicConsume(QUEUE, false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body) throws IOException {
                var node = json.readTree(body);
                long user = node.get("user_id").asLong();
                if (user > 0) {
                    try {
                        bind(insert, node).executeUpdate();
                    } catch (SQLIntegrityConstraintViolationException duplicate) {
                        try {
                            bind(skip, node).executeUpdate();
                        } catch (SQLException ignored) {
                            // already skipped
                        }
                    } catch (SQLException e) {
                        throw new IOException(e);
                    }
                }
                getChannel().basicAck(envelope.getDeliveryTag(), false);
                done.countDown();
            }
        });
        if (!done.await(30, TimeUnit.MINUTES)) {
            throw new IllegalStateException("baseline did not finish");
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        ch.close();
        db.close();
        return rate;
    }

    private static PreparedStatement bind(PreparedStatement ps, com.fasterxml.jackson.databind.JsonNode node) throws SQLException {
        ps.setLong(1, node.get("payment_id").asLong());
        ps.setLong(2, node.get("user_id").asLong());
        ps.setBigDecimal(3, node.get("deposit_amount").decimalValue());
        return ps;
    }

    record ProductRun(double rate, double warmRate, double startupSeconds, double peakRssMb, double peakHeapMb, Map<String, Double> cpu,
            Map<String, Double> warmCpu) {
    }

    /** Pre-loaded queue, then the product drains it; rate from the first to the last committed row. */
    ProductRun productDrain(Rabbit rabbit, Map<String, String> tuning, Path log) throws Exception {
        Mariadb.fresh();
        redis.del("dlq:payments", "dlq-entries:payments");
        rabbit.freshQueue(QUEUE);
        rabbit.deletePartitions(QUEUE);
        preloadProduct(rabbit, 0);
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "INGEST_MODE", "brokers",
                "INGEST_DB_URL", Mariadb.URL,
                "INGEST_DB_USER", "root",
                "INGEST_REDIS_URL", "redis://127.0.0.1:6379/" + redisDb,
                "INGEST_PAYMENTS_QUEUE", QUEUE));
        if (partitions > 0) {
            env.put("INGEST_PAYMENTS_PARTITIONS", Integer.toString(partitions));
            BenchMain.log("  payments over " + partitions + " ordered partitions");
        }
        env.putAll(tuning);
        try (AppUnderBench app = AppUnderBench.start(jar, env, log)) {
            app.awaitReady(Duration.ofSeconds(120));
            long expectedRows = n - invalid();
            long deadline = System.nanoTime() + BenchMain.drainTimeout().toNanos();
            CpuMeter cpu = app.cpuMeter();
            long rows;
            while ((rows = Mariadb.count("SELECT COUNT(*) FROM payment_events")) < expectedRows || redis.zcard("dlq:payments") < invalid()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("drain did not finish");
                }
                if (rows > 0 && !cpu.started()) {
                    cpu.start();
                }
                Thread.sleep(100);
            }
            Map<String, Double> cpuUse = cpu.started() ? cpu.stop() : Map.of();
            BenchMain.log("  payments cpu (% of one core): " + cpuUse);
            checkExact(expectedRows);
            BenchMain.log("  payments db time: " + AppUnderBench.metricLines("db_latency_seconds_count") + "; " + AppUnderBench.metricLines("db_latency_seconds_sum"));
            double cold = rate("payment_id <= " + n, expectedRows);

            // Warm: the same app, now past JIT warm-up, drains a second pre-loaded queue. The consumer
            // route is stopped while it fills (over Jolokia), so the drain is not paced by the publisher.
            app.route("payments.consume", "stop");
            preloadProduct(rabbit, n);
            CpuMeter warmCpu = app.cpuMeter();
            warmCpu.start();
            app.route("payments.consume", "start");
            while (Mariadb.count("SELECT COUNT(*) FROM payment_events") < 2 * expectedRows || redis.zcard("dlq:payments") < 2L * invalid()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("warm drain did not finish");
                }
                Thread.sleep(100);
            }
            Map<String, Double> warmCpuUse = warmCpu.stop();
            BenchMain.log("  payments warm cpu (% of one core): " + warmCpuUse);
            checkExact(2 * expectedRows, 2L * invalid());
            double warm = rate("payment_id > " + n, expectedRows);
            return new ProductRun(cold, warm, app.startupSeconds(), app.peakRssMb(), app.peakHeapMb(), cpuUse, warmCpuUse);
        }
    }

    /** The product's backlog: the queue, or the partitions by payment id. */
    private void preloadProduct(Rabbit rabbit, long offset) throws Exception {
        if (partitions < 1) {
            rabbit.preload(QUEUE, messages(offset));
            return;
        }
        List<String> keys = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            keys.add(Long.toString(offset + i));
        }
        rabbit.preloadPartitioned(QUEUE, partitions, messages(offset), keys);
    }

    /**
     * Rows per second between the first and the last commit of the rows selected. Rows of one transaction
     * share a timestamp, so the first batch's rows were written at the interval's start: they are not
     * counted, or bigger batches would look faster than they are.
     */
    private static double rate(String rows, long count) throws SQLException {
        double seconds = Mariadb.count("SELECT TIMESTAMPDIFF(MICROSECOND, MIN(received_at), MAX(received_at)) FROM payment_events WHERE "
                + rows) / 1e6;
        long firstBatch = Mariadb.count("SELECT COUNT(*) FROM payment_events WHERE " + rows
                + " AND received_at = (SELECT MIN(received_at) FROM payment_events WHERE " + rows + ")");
        return (count - firstBatch) / seconds;
    }

    private void checkExact(long expectedRows) throws SQLException {
        checkExact(expectedRows, invalid());
    }

    private void checkExact(long expectedRows, long expectedDead) throws SQLException {
        long rows = Mariadb.count("SELECT COUNT(*) FROM payment_events");
        long skipped = Mariadb.count("SELECT COUNT(*) FROM skipped_messages");
        long dead = redis.zcard("dlq:payments");
        if (rows != expectedRows || skipped != 0 || dead != expectedDead) {
            throw new IllegalStateException("payments not exact: rows " + rows + "/" + expectedRows + ", skipped "
                    + skipped + "/0, dead letters " + dead + "/" + expectedDead);
        }
    }
}
