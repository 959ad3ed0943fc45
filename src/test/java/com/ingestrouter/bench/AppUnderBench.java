package com.ingestrouter.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The product as shipped (target/ingest-router.jar, -Xmx512m, the image's JIT setting) in its own JVM, with memory sampled. */
final class AppUnderBench implements AutoCloseable {
    static final int PORT = 18080;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final Process process;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final long startNanos = System.nanoTime();
    private volatile long peakRssKb;
    private volatile double peakHeapMb;
    private double startupSeconds = Double.NaN;

    private AppUnderBench(Process process) {
        this.process = process;
        sampler.scheduleAtFixedRate(this::sample, 200, 500, TimeUnit.MILLISECONDS);
    }

    static AppUnderBench start(Path jar, Map<String, String> env, Path log) throws IOException {
        // The JIT setting the Dockerfile ships (C1 only; see there). BENCH_APP_JVM_OPTS comes after, so
        // -XX:TieredStopAtLevel=4 there measures with C2.
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-XX:TieredStopAtLevel=1"));
        String extra = System.getenv("BENCH_APP_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.directory(Files.createTempDirectory("ingest-bench-app").toFile());
        builder.environment().put("INGEST_HTTP_PORT", Integer.toString(PORT));
        builder.environment().put("INGEST_MANAGEMENT_PORT", Integer.toString(PORT + 1));
        builder.environment().put("INGEST_MESSAGE_LOG_LEVEL", "WARN");
        // As the image ships it: Camel JBang's connector off.
        builder.environment().put("INGEST_CLI_ENABLED", "false");
        // Brokers mode waits for Kafka at start-up: the harness's own broker.
        builder.environment().put("INGEST_KAFKA_BROKERS", System.getenv().getOrDefault("BENCH_KAFKA_BROKERS", "localhost:19092"));
        builder.environment().putAll(env);
        return new AppUnderBench(builder.start());
    }

    /** Waits for /health 200 and records the start-up time to ready. */
    AppUnderBench awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("app exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    startupSeconds = (System.nanoTime() - startNanos) / 1e9;
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("app not ready after " + timeout);
    }

    /** The /metrics lines that start with the prefix (for the harness's log). */
    static String metricLines(String prefix) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return String.join("; ", metrics.lines().filter(l -> l.startsWith(prefix)).toList());
        } catch (Exception e) {
            return "unavailable: " + e;
        }
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + PORT + path);
    }

    double startupSeconds() {
        return startupSeconds;
    }

    /** Stops or starts a route over Jolokia, as an operator would from Hawtio. */
    void route(String routeId, String operation) throws Exception {
        // Jolokia serves POST only, from a local Origin (jolokia-access.xml), as Hawtio's proxy sends it.
        URI uri = URI.create("http://127.0.0.1:" + (PORT + 1) + "/observe/jolokia");
        String exec = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=ingest-router,type=routes,name=\\\"" + routeId
                + "\\\"\",\"operation\":\"" + operation + "()\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).header("Origin", "http://localhost")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(exec)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("\"status\":200")) {
            throw new IllegalStateException("route " + routeId + " " + operation + ": " + r.body());
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** CPU of the app, the database and the brokers, to be started when the drain begins. */
    CpuMeter cpuMeter() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        pids.put("app", pid());
        pids.put("mariadb", CpuMeter.pidOf("mariadbd"));
        pids.put("rabbitmq", CpuMeter.pidOf("beam.smp"));
        pids.put("kafka", CpuMeter.pidOf("kafka.Kafka"));
        return new CpuMeter(pids);
    }

    double peakRssMb() {
        return peakRssKb / 1024.0;
    }

    double peakHeapMb() {
        return peakHeapMb;
    }

    private void sample() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("\\D", "")));
                }
            }
            String metrics = HTTP.send(HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double heap = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                    heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            peakHeapMb = Math.max(peakHeapMb, heap / 1024 / 1024);
        } catch (Exception ignored) {
            // sampling is best effort; the app may be starting or stopping
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampler.shutdownNow();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
