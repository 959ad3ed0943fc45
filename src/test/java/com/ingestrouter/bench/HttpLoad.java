package com.ingestrouter.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/** A closed-loop load generator: C workers each send the next request as soon as the last answered. */
final class HttpLoad {
    record Result(int concurrency, double requestsPerSecond, double p50Ms, double p99Ms, long errors, long requests) {
    }

    /**
     * @param request builds request number i (a unique id per request keeps writes distinct)
     * @param okStatus the status that counts as success
     */
    static Result run(int concurrency, Duration duration, LongFunction<HttpRequest> request, int okStatus)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong counter = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            latencies[w] = new long[1 << 16];
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long i = counter.incrementAndGet();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> r = client.send(request.apply(i), HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() != okStatus) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        if (counts[worker] == latencies[worker].length) {
                            latencies[worker] = Arrays.copyOf(latencies[worker], counts[worker] * 2);
                        }
                        latencies[worker][counts[worker]++] = System.nanoTime() - t0;
                    }
                } finally {
                    done.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = Arrays.stream(counts).asLongStream().sum();
        long[] all = new long[(int) total];
        int k = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(latencies[w], 0, all, k, counts[w]);
            k += counts[w];
        }
        Arrays.sort(all);
        return new Result(concurrency, total / seconds, Stats.percentile(all, 50), Stats.percentile(all, 99), errors.get(), total);
    }

    static HttpRequest post(URI uri, String json) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
