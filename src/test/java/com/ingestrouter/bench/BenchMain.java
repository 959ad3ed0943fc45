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
import redis.clients.jedis.JedisPooled;

/**
 * The benchmark harness (bench/run): raw limits of the parts, the naive baseline and the product,
 * measured in one run on this machine, repeated and reported as medians with their ratios.
 */
public final class BenchMain {
    private static final int REDIS_DB = 9;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int runs = quick ? 1 : 3;
        int n = quick ? 3_000 : 50_000;
        Duration httpDuration = Duration.ofSeconds(quick ? 4 : 10);
        int[] concurrencies = quick ? new int[] {8} : new int[] {1, 8, 32, 64};
        Path jar = Path.of("target/ingest-router.jar").toAbsolutePath();
        Path logs = Files.createDirectories(Path.of("bench/results"));
        JedisPooled redis = new JedisPooled(URI.create("redis://127.0.0.1:6379/" + REDIS_DB));
        Map<String, String> payTuning = Map.of();

        PaymentsBench payments = new PaymentsBench(n, jar, redis, REDIS_DB);
        Map<String, List<Double>> figures = new LinkedHashMap<>();
        List<HttpLoad.Result> httpResults = new ArrayList<>();
        try (Rabbit rabbit = new Rabbit()) {
            for (int run = 1; run <= runs; run++) {
                log("run " + run + "/" + runs + ": payments, N=" + n);
                add(figures, "db.payments.upsert", payments.rawDatabaseUpsertRate());
                add(figures, "rabbit.drain", payments.rawRabbitDrainRate(rabbit));
                add(figures, "payments.baseline", payments.naiveBaselineRate(rabbit));
                PaymentsBench.ProductRun product = payments.productDrain(rabbit, payTuning, logs.resolve("payments-app-" + run + ".log"));
                add(figures, "payments.product", product.rate());
                add(figures, "startup.seconds", product.startupSeconds());
                add(figures, "payments.rss.mb", product.peakRssMb());
                add(figures, "payments.heap.mb", product.peakHeapMb());
                log("  db upsert " + last(figures, "db.payments.upsert") + "/s, rabbit drain " + last(figures, "rabbit.drain")
                        + "/s, baseline " + last(figures, "payments.baseline") + "/s, product " + last(figures, "payments.product") + "/s");

                httpResults.add(httpIngress(jar, payments, rabbit, httpDuration, concurrencies, logs.resolve("http-app-" + run + ".log")));
            }
        }
        Report.write(Path.of("docs/performance.md"), quick, n, runs, figures, httpResults, String.join(" ", args));
        log("wrote docs/performance.md");
    }

    /** POST /payments at each concurrency; keeps the concurrency with the highest rate. */
    private static HttpLoad.Result httpIngress(Path jar, PaymentsBench payments, Rabbit rabbit, Duration duration,
            int[] concurrencies, Path log) throws Exception {
        Mariadb.fresh();
        rabbit.freshQueue(PaymentsBench.QUEUE);
        AtomicLong ids = new AtomicLong(10_000_000);
        try (AppUnderBench app = AppUnderBench.start(jar, Map.of(
                "INGEST_MODE", "brokers", "INGEST_DB_URL", Mariadb.URL, "INGEST_DB_USER", "root",
                "INGEST_REDIS_URL", "redis://127.0.0.1:6379/" + REDIS_DB, "INGEST_PAYMENTS_QUEUE", PaymentsBench.QUEUE), log)) {
            app.awaitReady(Duration.ofSeconds(120));
            URI uri = AppUnderBench.uri("/payments");
            // Warm-up: JIT and connection pools, not measured.
            HttpLoad.run(4, Duration.ofSeconds(2), i -> HttpLoad.post(uri, body(ids.incrementAndGet())), 202);
            HttpLoad.Result best = null;
            for (int c : concurrencies) {
                HttpLoad.Result r = HttpLoad.run(c, duration, i -> HttpLoad.post(uri, body(ids.incrementAndGet())), 202);
                log(String.format("  POST /payments c=%d: %.0f req/s p50 %.1f ms p99 %.1f ms errors %d", c,
                        r.requestsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors()));
                if (best == null || r.requestsPerSecond() > best.requestsPerSecond()) {
                    best = r;
                }
            }
            return best;
        }
    }

    private static String body(long id) {
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
