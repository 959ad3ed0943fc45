package com.ingestrouter.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The application in its own JVM (same classpath as the tests), for signals and exit codes. */
public final class AppProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path workDir;

    private final int port;
    private final int managementPort;

    private AppProcess(Process process, Path log, Path workDir, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.workDir = workDir;
        this.port = port;
        this.managementPort = managementPort;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path workDir() {
        return workDir;
    }

    /** True once GET /health answers 200. */
    public boolean healthy() {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public java.net.http.HttpResponse<String> get(String path) {
        return RunningApp.exchange(java.net.http.HttpRequest.newBuilder(uri(path)).GET());
    }

    public java.net.http.HttpResponse<String> post(String path, String json) {
        return RunningApp.exchange(java.net.http.HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)));
    }

    private java.net.URI uri(String path) {
        return java.net.URI.create("http://127.0.0.1:" + port + path);
    }

    /** Starts com.ingestrouter.App with these environment variables, in a scratch working directory. */
    public static AppProcess start(Map<String, String> env) throws IOException {
        Path workDir = Files.createTempDirectory("ingest-app");
        Path log = workDir.resolve("app.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only and the serial collector: these processes live seconds to a minute on a 2-core
                // machine shared with the test JVM, where start-up time, not peak speed, is what counts.
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "com.ingestrouter.App"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        int port = RunningApp.freePort();
        builder.environment().put("INGEST_HTTP_PORT", Integer.toString(port));
        builder.environment().put("INGEST_MANAGEMENT_PORT", Integer.toString(RunningApp.freePort()));
        // No pull from the internet at start-up unless a test asks for it.
        builder.environment().put("INGEST_POSTS_ENABLED", "false");
        builder.environment().putAll(env);
        return new AppProcess(builder.start(), log, workDir, port,
                Integer.parseInt(builder.environment().get("INGEST_MANAGEMENT_PORT")));
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as docker stop and Kubernetes send. */
    public void terminate() {
        process.destroy();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
    }

    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("process still running after " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
