package com.ingestrouter.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.RedisClient;

/**
 * The benchmark harness (bench/run): raw limits of the parts, the naive baseline and the product,
 * measured in one run on this machine, repeated and reported as medians with their ratios.
 */
public final class BenchMain {
    private static final int REDIS_DB = 9;
    private static final List<String> PARTS = List.of("payments", "events", "users", "http");
    /** How long a drain may take before the run fails: short in quick/smoke mode, so CI cannot hang. */
    private static Duration drainTimeout = Duration.ofMinutes(20);

    static Duration drainTimeout() {
        return drainTimeout;
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        // --smoke (CI): the quick mode, written to target/ so the committed figures stay as measured.
        boolean quick = List.of(args).contains("--quick") || List.of(args).contains("--smoke");
        // --only=payments,events,users,http (development): just those parts, logged, no report written.
        List<String> only = List.of(args).stream().filter(a -> a.startsWith("--only=")).findFirst()
                .map(a -> List.of(a.substring("--only=".length()).split(","))).orElse(PARTS);
        boolean partial = !only.containsAll(PARTS);
        int runs = quick ? 1 : 3;
        if (quick) {
            drainTimeout = Duration.ofMinutes(3);
        }
        int n = Integer.parseInt(System.getenv().getOrDefault("BENCH_N", quick ? "3000" : "50000"));
        Duration httpDuration = Duration.ofSeconds(quick ? 4 : 10);
        int[] concurrencies = quick ? new int[] {8} : new int[] {1, 8, 32, 64};
        Path jar = Path.of("target/ingest-router.jar").toAbsolutePath();
        Path logs = Files.createDirectories(Path.of("bench/results"));
        RedisClient redis = RedisClient.create(URI.create("redis://127.0.0.1:6379/" + REDIS_DB));
        Map<String, String> payTuning = Map.of();

        String brokers = System.getenv().getOrDefault("BENCH_KAFKA_BROKERS", "localhost:19092");
        PaymentsBench payments = new PaymentsBench(n, jar, redis, REDIS_DB);
        EventsBench events = new EventsBench(n, jar, redis, REDIS_DB, brokers);
        // The users workload is the peer kit's (issue 11): N = 200000 unless BENCH_N says otherwise.
        int usersN = Integer.parseInt(System.getenv().getOrDefault("BENCH_N", quick ? "3000" : "200000"));
        UsersBench users = new UsersBench(usersN, jar, redis, REDIS_DB, brokers);
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        Map<String, List<HttpLoad.Result>> httpResults = new LinkedHashMap<>();
        try (Rabbit rabbit = new Rabbit()) {
            // The Kafka broker's JVM has just started: without this it spends most of a core on JIT
            // compilation through the first measurements (seen as ~40-85% of a core during drains that
            // do not even touch Kafka).
            log("warm-up: one unmeasured Kafka pre-load and consume");
            events.rawKafkaConsumeRate();
            for (int run = 1; run <= runs; run++) {
                if (only.contains("payments")) {
                    log("run " + run + "/" + runs + ": payments, N=" + n);
                    add(figures, "db.payments.upsert", payments.rawDatabaseUpsertRate());
                    add(figures, "rabbit.drain", payments.rawRabbitDrainRate(rabbit));
                    add(figures, "payments.baseline", payments.naiveBaselineRate(rabbit));
                    PaymentsBench.ProductRun product = payments.productDrain(rabbit, payTuning, logs.resolve("payments-app-" + run + ".log"));
                    add(figures, "payments.product", product.rate());
                    add(figures, "payments.product.warm", product.warmRate());
                    product.warmCpu().forEach((k, v) -> add(figures, "payments.warm.cpu." + k, v));
                    add(figures, "startup.seconds", product.startupSeconds());
                    add(figures, "payments.rss.mb", product.peakRssMb());
                    add(figures, "payments.heap.mb", product.peakHeapMb());
                    product.cpu().forEach((k, v) -> add(figures, "payments.cpu." + k, v));
                    log("  db upsert " + last(figures, "db.payments.upsert") + "/s, rabbit drain " + last(figures, "rabbit.drain")
                            + "/s, baseline " + last(figures, "payments.baseline") + "/s, product " + last(figures, "payments.product")
                            + "/s (warm " + last(figures, "payments.product.warm") + "/s)");
                }
                if (only.contains("events")) {
                    log("run " + run + "/" + runs + ": events, N=" + n + ", " + EventsBench.PARTITIONS + " partitions");
                    add(figures, "db.events.upsert", events.rawDatabaseUpsertRate());
                    add(figures, "kafka.consume", events.rawKafkaConsumeRate());
                    add(figures, "events.baseline", events.naiveBaselineRate());
                    // One consumer per partition: the rule docs/events.md gives for sizing.
                    PaymentsBench.ProductRun eventsProduct = events.productDrain(
                            Map.of("INGEST_EVENTS_CONSUMERS", Integer.toString(EventsBench.PARTITIONS)),
                            logs.resolve("events-app-" + run + ".log"));
                    add(figures, "events.product", eventsProduct.rate());
                    add(figures, "events.product.warm", eventsProduct.warmRate());
                    eventsProduct.warmCpu().forEach((k, v) -> add(figures, "events.warm.cpu." + k, v));
                    add(figures, "events.rss.mb", eventsProduct.peakRssMb());
                    add(figures, "events.heap.mb", eventsProduct.peakHeapMb());
                    eventsProduct.cpu().forEach((k, v) -> add(figures, "events.cpu." + k, v));
                    log("  db upsert " + last(figures, "db.events.upsert") + "/s, kafka consume " + last(figures, "kafka.consume")
                            + "/s, baseline " + last(figures, "events.baseline") + "/s, product " + last(figures, "events.product")
                            + "/s (warm " + last(figures, "events.product.warm") + "/s)");
                }
                if (only.contains("users")) {
                    log("run " + run + "/" + runs + ": users upsert, N=" + usersN + ", " + UsersBench.PARTITIONS + " partitions");
                    double[] raw = users.rawProductTable();
                    add(figures, "users.raw", raw[0]);
                    add(figures, "users.raw.cpu-us", raw[1]);
                    log(String.format("  users: raw batched upsert into the product's table %.0f rows/s, client CPU %.1f µs/row", raw[0], raw[1]));
                    UsersBench.Result r = users.productDrain(Map.of(), logs.resolve("users-app-" + run + ".log"));
                    add(figures, "users.from-start", r.fromStart());
                    add(figures, "users.after-first", r.afterFirstRow());
                    add(figures, "users.first-row.s", r.firstRowSeconds());
                    add(figures, "users.cpu-us", r.cpuUsPerEvent());
                    add(figures, "users.cpu-us.after-first", r.cpuUsPerEventAfterFirstRow());
                    add(figures, "users.rss.mb", r.peakRssMb());
                    r.cpu().forEach((k, v) -> add(figures, "users.cpu." + k, v));
                    log("  users: " + UsersBench.describe(r));
                }
                if (only.contains("http")) {
                    httpIngress(jar, rabbit, brokers, httpDuration, concurrencies, logs.resolve("http-app-" + run + ".log"))
                            .forEach((k, v) -> httpResults.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
            }
        }
        if (partial) {
            log("partial run (" + String.join(",", only) + "): figures above, no report written");
            return;
        }
        Path out = Path.of(List.of(args).contains("--smoke") ? "target/performance-smoke.md" : "docs/performance.md");
        Report.write(out, quick, n, usersN, runs, figures, httpResults, SWEEP, String.join(" ", args));
        log("wrote " + out);
    }

    /** Each HTTP endpoint at each concurrency; keeps, per endpoint, the concurrency with the highest rate. */
    private static Map<String, HttpLoad.Result> httpIngress(Path jar, Rabbit rabbit, String brokers, Duration duration,
            int[] concurrencies, Path log) throws Exception {
        Mariadb.fresh();
        rabbit.freshQueue(PaymentsBench.QUEUE);
        AtomicLong ids = new AtomicLong(10_000_000);
        String topic = "bench-http-" + System.currentTimeMillis();
        Map<String, HttpLoad.Result> best = new LinkedHashMap<>();
        try (AppUnderBench app = AppUnderBench.start(jar, Map.of(
                "INGEST_MODE", "brokers", "INGEST_DB_URL", Mariadb.URL, "INGEST_DB_USER", "root",
                "INGEST_REDIS_URL", "redis://127.0.0.1:6379/" + REDIS_DB, "INGEST_PAYMENTS_QUEUE", PaymentsBench.QUEUE,
                "INGEST_KAFKA_BROKERS", brokers, "INGEST_EVENTS_TOPIC", topic, "INGEST_EVENTS_GROUP_ID", topic), log)) {
            app.awaitReady(Duration.ofSeconds(120));
            URI payments = AppUnderBench.uri("/payments");
            URI produce = AppUnderBench.uri("/produce");
            // Warm-up: JIT and connection pools, not measured.
            HttpLoad.run(4, Duration.ofSeconds(2), i -> HttpLoad.post(payments, body(ids.incrementAndGet())), 202);
            HttpLoad.run(4, Duration.ofSeconds(2), i -> HttpLoad.post(produce, user(ids.incrementAndGet())), 202);
            if (WRK) {
                sweep("POST /payments", best, concurrencies, duration, List.of("/payments"), body("{id}"));
                sweep("POST /produce", best, concurrencies, duration, List.of("/produce"), user("{id}"));
            } else {
                sweep("POST /payments", best, concurrencies, duration,
                        () -> i -> HttpLoad.post(payments, body(ids.incrementAndGet())), 202);
                sweep("POST /produce", best, concurrencies, duration,
                        () -> i -> HttpLoad.post(produce, user(ids.incrementAndGet())), 202);
            }
            long lastUser = ids.get();
            // Read the users the /produce load created, once the consumer has stored them.
            long deadline = System.nanoTime() + Duration.ofMinutes(quick(concurrencies) ? 1 : 5).toNanos();
            HttpLoad.Result produced = best.get("POST /produce");
            long wanted = Math.min(1000, produced.requests() - produced.errors());
            while (Mariadb.count("SELECT COUNT(*) FROM users") < wanted && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            List<String> users = new ArrayList<>();
            try (var c = Mariadb.plain(); var rs = c.createStatement().executeQuery("SELECT user_id FROM users LIMIT 1000")) {
                while (rs.next()) {
                    users.add(rs.getString(1));
                }
            }
            if (WRK) {
                sweep("GET /users/{id}", best, concurrencies, duration, users.stream().map(u -> "/users/" + u).toList(), null);
            } else {
                sweep("GET /users/{id}", best, concurrencies, duration, () -> i -> java.net.http.HttpRequest.newBuilder(
                        AppUnderBench.uri("/users/" + users.get((int) (i % users.size())))).GET().build(), 200);
            }
            log("  (last produced user id " + lastUser + ")");
        }
        return best;
    }

    private static boolean quick(int[] concurrencies) {
        return concurrencies.length == 1;
    }

    /** Every (endpoint, concurrency) result of every run, for the sweep table. */
    private static final Map<String, List<HttpLoad.Result>> SWEEP = new LinkedHashMap<>();

    private static void sweep(String name, Map<String, HttpLoad.Result> best, int[] concurrencies, Duration duration,
            java.util.function.Supplier<java.util.function.LongFunction<java.net.http.HttpRequest>> requests, int ok)
            throws InterruptedException {
        for (int c : concurrencies) {
            keep(name, best, c, HttpLoad.run(c, duration, requests.get(), ok));
        }
    }

    /**
     * The HTTP load generator: wrk when installed (BENCH_HTTP_GENERATOR=java forces the JDK client), as it
     * takes far less of the shared cores; the report names the one used.
     */
    static final boolean WRK = !"java".equals(System.getenv("BENCH_HTTP_GENERATOR")) && Wrk.available();
    /** Ids of wrk's requests: each run a block of 10 million, each of its threads a million of it. */
    private static final AtomicLong WRK_IDS = new AtomicLong(100_000_000);

    private static void sweep(String name, Map<String, HttpLoad.Result> best, int[] concurrencies, Duration duration,
            List<String> paths, String body) throws Exception {
        for (int c : concurrencies) {
            HttpLoad.Result r = Wrk.run(c, duration, AppUnderBench.uri("/"), paths, body, WRK_IDS.getAndAdd(10_000_000));
            keep(name, best, c, r);
        }
    }

    private static void keep(String name, Map<String, HttpLoad.Result> best, int c, HttpLoad.Result r) {
        log(String.format("  %s c=%d: %.0f req/s p50 %.1f ms p99 %.1f ms errors %d", name, c,
                r.requestsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors()));
        SWEEP.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        if (!best.containsKey(name) || r.requestsPerSecond() > best.get(name).requestsPerSecond()) {
            best.put(name, r);
        }
    }

    private static String user(long id) {
        return user(Long.toString(id));
    }

    private static String body(long id) {
        return body(Long.toString(id));
    }

    private static String user(String id) {
        return "{\"eventId\":\"http-" + id + "\",\"type\":\"UserCreated\",\"timestamp\":\"2026-11-25T10:00:00Z\","
                + "\"data\":{\"userId\":\"hu" + id + "\",\"email\":\"hu" + id + "@example.com\",\"name\":\"H " + id + "\"}}";
    }

    private static String body(String id) {
        return "{\"user_id\": 1, \"payment_id\": " + id + ", \"deposit_amount\": 1.5}";
    }

    private static void add(Map<String, List<Double>> figures, String key, double value) {
        figures.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static String last(Map<String, List<Double>> figures, String key) {
        List<Double> values = figures.get(key);
        return String.format("%.0f", values.get(values.size() - 1));
    }

    static void log(String line) {
        System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " bench: " + line);
    }
}
