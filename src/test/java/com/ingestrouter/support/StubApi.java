package com.ingestrouter.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A scripted HTTP API on 127.0.0.1 standing in for a pulled source (there is no internet here): each
 * request takes the next scripted reply, then the fallback; every request is recorded.
 */
public final class StubApi implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Deque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<Instant> calls = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Reply fallback = Reply.status(404);

    public StubApi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers {@code first} in order, then {@code always} for every later request; forgets past calls. */
    public void reply(Reply always, Reply... first) {
        script.clear();
        script.addAll(List.of(first));
        fallback = always;
        calls.clear();
        queries.clear();
    }

    public int calls() {
        return calls.size();
    }

    public List<Instant> callTimes() {
        return List.copyOf(calls);
    }

    /** The raw query string of each call since the last {@link #reply}, as received ("" for none). */
    public List<String> queries() {
        return List.copyOf(queries);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        queries.add(query == null ? "" : query);
        calls.add(Instant.now());
        Reply reply = script.poll();
        if (reply == null) {
            reply = fallback;
        }
        try {
            if (!reply.delay().isZero() && closed.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        try {
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException clientGone) {
            // the client timed out and closed the connection
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** One scripted answer. */
    public record Reply(int status, String body, Map<String, String> headers, Duration delay) {
        public static Reply json(String body) {
            return new Reply(200, body, Map.of("Content-Type", "application/json"), Duration.ZERO);
        }

        public static Reply status(int status) {
            return new Reply(status, "", Map.of(), Duration.ZERO);
        }

        public Reply header(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, body, more, delay);
        }

        public Reply delayed(Duration by) {
            return new Reply(status, body, headers, by);
        }
    }
}
