package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestKafka;
import com.ingestrouter.support.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every ingress, as an attacker or a careless producer would use it: hostile bodies, ids, paths,
 * methods and content types over HTTP, and arbitrary bytes on the queues and the topic. Each answer must
 * be a JSON 4xx (or an acceptance), never a 5xx; every broker message ends stored or dead-lettered with
 * its exact bytes; every route is still running afterwards. Brokers mode against real RabbitMQ, Redis
 * and an in-process Kafka, on H2. Random cases use a fixed seed, printed on failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("hostile.seed", 20261201L);
    private static final int MAX_BODY = 64 * 1024;
    private static final String TOKEN = "hostile-admin-token";
    private static final List<String> INGRESS = List.of("/payments", "/produce", "/log");
    private static final List<String> READS = List.of("/users/%s", "/orders/%s", "/reviews/%s", "/products/%s/reviews",
            "/logs/%s", "/posts/%s", "/dlq/%s");
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "other");

    /** Bodies that are not one JSON object that every reader reads alike: refused by every ingress, /log too. */
    private static final Set<String> NOT_A_RECORD = Set.of("objects nested 1001", "arrays nested 1001", "raw NUL",
            "invalid UTF-8", "overlong UTF-8", "duplicate keys", "number of 1001 digits", "huge exponent", "tiny exponent",
            "not JSON", "empty", "array", "trailing garbage");
    private RunningApp app;
    private String payments;
    private String logs;
    private String topic;
    private Map<String, ServiceStatus> routesAtStart;

    @BeforeAll
    void start() {
        payments = TestServices.freshQueue("hostile-payments");
        logs = TestServices.freshQueue("hostile-logs");
        topic = TestKafka.freshTopic("hostile-events");
        app = RunningApp.builder(Mode.BROKERS)
                .database(TestDatabase.H2, "hostile")
                .property("ingest.rabbitmq.url", TestServices.rabbitUrl())
                .property("ingest.payments.queue", payments)
                .property("ingest.logs.queue", logs)
                .property("ingest.events.topic", topic)
                .property("ingest.events.group-id", topic + "-group")
                .property("ingest.events.partitions", 1)
                .property("ingest.events.consumers", 1)
                .property("ingest.events.poll-timeout-ms", 200)
                .property("ingest.http.max-body-bytes", MAX_BODY)
                .property("ingest.admin.token", TOKEN)
                .property("ingest.retry.unexpected-attempts", 1)
                .start();
        routesAtStart = routeStatuses();
        assertThat(routesAtStart).containsValue(ServiceStatus.Started);
    }

    private Map<String, ServiceStatus> routeStatuses() {
        Map<String, ServiceStatus> statuses = new java.util.TreeMap<>();
        for (Route route : app.context().getRoutes()) {
            statuses.put(route.getRouteId(), app.context().getRouteController().getRouteStatus(route.getRouteId()));
        }
        return statuses;
    }

    @AfterAll
    void stop() {
        app.close();
        TestServices.deleteQueue(payments);
        TestServices.deleteQueue(logs);
    }

    @BeforeEach
    void clean() {
        TestServices.clearDeadLetters();
    }

    @AfterEach
    void everyRouteIsStillRunning() {
        assertThat(routeStatuses()).isEqualTo(routesAtStart);
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aHugeExponentIsRefusedFastNamingTheFieldWithAStableHeap() {
        String payment = "{\"user_id\":1,\"payment_id\":1,\"deposit_amount\":1e999999999}";
        String order = "{\"eventId\": \"h-1\", \"eventType\": \"OrderPlaced\", \"timestamp\": \"2026-03-01T10:00:00Z\","
                + " \"orderId\": \"o1\", \"userId\": \"u1\", \"total\": 1e999999999}";
        long heapBefore = usedHeapAfterGc();
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertJsonError(app.post("/payments", payment), 400, "deposit_amount");
            assertJsonError(app.post("/produce", order), 400, "total");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth, bytes").isLessThan(64L * 1024 * 1024);
    }

    @Test
    void everyIngressAnswersEveryHostileBodyWithJsonAndNever5xx() {
        Map<String, byte[]> bodies = hostileBodies();
        for (String path : INGRESS) {
            bodies.forEach((name, body) -> {
                HttpResponse<String> answer = app.send(HttpRequest.newBuilder(app.uri(path))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
                assertJsonAnswer(answer, path + " " + name);
                if (!path.equals("/log") || NOT_A_RECORD.contains(name)) {
                    // Nothing in the list is a valid payment or event, and these are no JSON record at all.
                    assertThat(answer.statusCode()).as(path + " " + name + ": " + answer.body()).isBetween(400, 499);
                }
            });
        }
    }

    @Test
    void integralIdsWrittenAsDecimalsAreTheSameIdOrRefused() throws Exception {
        assertThat(app.post("/payments", "{\"user_id\": 1, \"payment_id\": 9001, \"deposit_amount\": 1}").statusCode())
                .isEqualTo(202);
        HttpResponse<String> decimal = app.post("/payments", "{\"user_id\": 1.0, \"payment_id\": 9001.0, \"deposit_amount\": 1}");
        assertJsonAnswer(decimal, "payment_id 9001.0");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(app.rows("SELECT payment_id FROM payment_events WHERE payment_id = 9001")).hasSize(1));

        HttpResponse<String> asInteger = app.post("/produce", "{\"eventId\": \"ev-int-1\", \"eventType\": \"UserCreated\","
                + " \"timestamp\": \"2026-03-01T10:00:00Z\", \"userId\": 77, \"email\": \"int@example.com\", \"name\": \"I\"}");
        assertThat(asInteger.statusCode()).as(asInteger.body()).isEqualTo(202);
        HttpResponse<String> asDecimal = app.post("/produce", "{\"eventId\": \"ev-int-2\", \"eventType\": \"UserCreated\","
                + " \"timestamp\": \"2026-03-01T10:00:00Z\", \"userId\": 77.0, \"email\": \"dec@example.com\", \"name\": \"D\"}");
        assertJsonAnswer(asDecimal, "userId 77.0");
        if (asDecimal.statusCode() == 202) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(app.rows("SELECT user_id FROM users WHERE email = 'dec@example.com'"))
                            .containsExactly(Map.of("USER_ID", "77")));
        }
        assertThat(app.rows("SELECT user_id FROM users WHERE user_id = '77.0'")).isEmpty();
    }

    @Test
    void readEndpointsAnswerHostileIdsWithJson() throws Exception {
        List<String> ids = List.of("9".repeat(70), "a".repeat(1000), "1.0", "1", "-1", "%00", "%C3%28", "%FF%FE",
                "%E2%82%AC", "..%2F..%2Fetc", "%20", "payments", "'%20OR%201=1");
        for (String template : READS) {
            for (String id : ids) {
                String path = String.format(template, id);
                HttpResponse<String> answer = app.send(HttpRequest.newBuilder(app.uri(path))
                        .header("Authorization", "Bearer " + TOKEN).GET());
                assertJsonAnswer(answer, path);
            }
        }
        for (String query : List.of("/logs?limit=" + "9".repeat(70), "/logs?limit=1.0", "/logs?since=%00", "/logs?level=%C3%28",
                "/posts?limit=-1", "/posts?offset=" + "9".repeat(70), "/users/recent?limit=1e999999999",
                "/dlq/payments?limit=" + "9".repeat(70))) {
            assertJsonAnswer(app.send(HttpRequest.newBuilder(app.uri(query)).header("Authorization", "Bearer " + TOKEN).GET()),
                    query);
        }
    }

    @Test
    void malformedPercentEscapesInThePathAnswer400Json() throws Exception {
        for (String path : List.of("/users/%zz", "/logs/%zz", "/products/%zz/reviews", "/payments%zz", "/%zz", "/posts/%")) {
            RawAnswer answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", new byte[0]);
            assertThat(answer.status).as(path + ": " + answer.body).isBetween(400, 499);
            assertThat(answer.contentType).as(path).contains("application/json");
            assertThat(JSON.readTree(answer.body).has("error")).as(path + ": " + answer.body).isTrue();
        }
    }

    @Test
    void theWrongContentTypeIsRefusedWith415Json() {
        for (String path : INGRESS) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml",
                    "multipart/form-data; boundary=x", "text/html; charset=utf-8")) {
                HttpResponse<String> answer = app.send(HttpRequest.newBuilder(app.uri(path)).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"level\": \"info\"}")));
                assertJsonError(answer, 415, null);
                assertThat(answer.body()).contains("Content-Type must be application/json");
            }
        }
    }

    @Test
    void unknownMethodsAnswerJsonAndStayOutOfTheMetricLabels() throws Exception {
        Random random = new Random(SEED);
        List<String> paths = new ArrayList<>(INGRESS);
        paths.addAll(List.of("/posts/ingest", "/users/u1", "/orders/o1", "/reviews/r1", "/products/p/reviews", "/logs",
                "/logs/x", "/posts", "/posts/1", "/dlq", "/dlq/payments", "/health", "/metrics", "/status"));
        for (int i = 0; i < 50; i++) {
            String method = randomMethod(random);
            String path = paths.get(i % paths.size());
            HttpResponse<String> answer = app.send(HttpRequest.newBuilder(app.uri(path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .method(method, HttpRequest.BodyPublishers.noBody()));
            assertJsonAnswer(answer, "seed " + SEED + ": " + method + " " + path);
            assertThat(answer.statusCode()).as(method + " " + path).isBetween(400, 499);
        }
        Set<String> labels = new java.util.TreeSet<>();
        Matcher label = Pattern.compile("^http_requests_total\\{[^}]*method=\"([^\"]*)\"", Pattern.MULTILINE)
                .matcher(app.get("/metrics").body());
        while (label.find()) {
            labels.add(label.group(1));
        }
        assertThat(labels).isNotEmpty();
        assertThat(KNOWN_METHODS).containsAll(labels);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsBuffered() throws Exception {
        long heapBefore = usedHeapAfterGc();
        long started = System.nanoTime();
        long gibibyte = 1024L * 1024 * 1024;
        long sent = 0;
        RawAnswer answer;
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /log HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                while (sent < gibibyte && socket.getInputStream().available() == 0) {
                    out.write(header);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (IOException closedByTheServer) {
                // The server answered and closed while we were still sending: that is the point.
            }
            answer = read(socket.getInputStream());
        }
        assertThat(answer.status).as(answer.body).isEqualTo(413);
        assertThat(answer.contentType).contains("application/json");
        assertThat(JSON.readTree(answer.body).get("error").asText()).contains("exceeds");
        assertThat(sent).as("bytes the server let us send").isLessThan(64L * 1024 * 1024);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth, bytes").isLessThan(64L * 1024 * 1024);

        HttpResponse<String> declared = app.send(HttpRequest.newBuilder(app.uri("/payments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY + 1])));
        assertJsonError(declared, 413, null);
    }

    @Test
    void anyBytesOnTheQueuesAndTheTopicAreStoredOrDeadLetteredByteForByte() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> messages = new ArrayList<>(hostileBodies().values());
        for (int i = 0; i < 10; i++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            messages.add(bytes);
        }
        messages.add("{\"user_id\": 1, \"payment_id\": 1, \"deposit_amount\": 1, \"note\": \"\u0000\"}".getBytes(StandardCharsets.UTF_8));
        messages.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});

        for (byte[] message : messages) {
            TestServices.publishRaw(payments, message);
            TestServices.publishRaw(logs, message, java.util.UUID.randomUUID().toString());
            TestKafka.send(topic, null, message);
        }
        Map<String, List<byte[]>> expected = new LinkedHashMap<>();
        expected.put("payments", messages);
        expected.put("logs", messages);
        expected.put("events", messages);

        // None of them is a valid message for its pipeline except, perhaps, as a log record: those are stored.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            long storedLogs = app.jdbc().queryForObject("SELECT COUNT(*) FROM logs", Long.class);
            assertThat(TestServices.deadLetters("payments")).hasSize(messages.size());
            assertThat(TestServices.deadLetters("events")).hasSize(messages.size());
            assertThat(TestServices.deadLetters("logs").size() + storedLogs).isEqualTo(messages.size());
        });
        for (Map.Entry<String, List<byte[]>> pipeline : expected.entrySet()) {
            List<String> payloads = new ArrayList<>();
            for (String letter : TestServices.deadLetters(pipeline.getKey())) {
                payloads.add(Base64.getEncoder().encodeToString(payloadBytes(JSON.readTree(letter))));
            }
            List<String> sent = pipeline.getValue().stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
            assertThat(sent).as(pipeline.getKey() + " dead letters are the bytes sent").containsAll(payloads);
        }
        assertThat(TestServices.queueDepth(payments)).isZero();
        assertThat(TestServices.queueDepth(logs)).isZero();
    }

    @Test
    void aDeadLetterOfBytesThatAreNotUtf8IsReplayedAsThoseBytes() throws Exception {
        byte[] bytes = {'{', '"', 'u', 's', 'e', 'r', '_', 'i', 'd', '"', ':', '"', (byte) 0xFF, 0, (byte) 0xC3, '"', '}'};
        TestServices.publishRaw(payments, bytes);
        await().atMost(Duration.ofSeconds(30)).until(() -> TestServices.deadLetters("payments").size() == 1);
        JsonNode first = JSON.readTree(TestServices.deadLetters("payments").get(0));
        assertThat(first.get("payloadBase64").asText()).isEqualTo(Base64.getEncoder().encodeToString(bytes));
        assertThat(first.get("error").get("message").asText()).contains("not valid UTF-8");

        HttpResponse<String> replay = app.send(HttpRequest.newBuilder(app.uri("/dlq/payments/replay"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(JSON.readTree(replay.body()).get("replayed").asInt()).as(replay.body()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> letters = TestServices.deadLetters("payments");
            assertThat(letters).hasSize(1);
            JsonNode again = JSON.readTree(letters.get(0));
            assertThat(again.get("attempts").asInt()).isEqualTo(2);
            assertThat(payloadBytes(again)).isEqualTo(bytes);
        });
    }

    /** The payload a dead letter holds: its base64 form when the bytes were not UTF-8, else its text. */
    private static byte[] payloadBytes(JsonNode letter) {
        JsonNode base64 = letter.get("payloadBase64");
        if (base64 != null && !base64.isNull()) {
            return Base64.getDecoder().decode(base64.asText());
        }
        return letter.get("payload").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> hostileBodies() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (int depth : new int[] {33, 101, 1001}) {
            bodies.put("objects nested " + depth, ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.UTF_8));
            bodies.put("arrays nested " + depth, ("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8));
        }
        bodies.put("huge string", ("{\"user_id\": \"" + "x".repeat(MAX_BODY - 100) + "\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("escaped NUL", "{\"user_id\": \"\\u0000\", \"eventId\": \"\\u0000\", \"payment_id\": 1}".getBytes(StandardCharsets.UTF_8));
        bodies.put("raw NUL", "{\"user_id\": \"a\u0000b\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'});
        bodies.put("overlong UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'});
        bodies.put("duplicate keys", "{\"user_id\": 1, \"user_id\": \"two\", \"payment_id\": 1, \"payment_id\": 2, \"deposit_amount\": 1}"
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("id of 70 digits", ("{\"user_id\": " + "9".repeat(70) + ", \"payment_id\": " + "9".repeat(70)
                + ", \"deposit_amount\": 1, \"eventId\": " + "9".repeat(70) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("id of 1000 characters", ("{\"user_id\": \"" + "u".repeat(1000) + "\", \"payment_id\": \"" + "p".repeat(1000)
                + "\", \"eventId\": \"" + "e".repeat(1000) + "\", \"eventType\": \"UserCreated\", \"timestamp\": \"2026-03-01T10:00:00Z\","
                + " \"userId\": \"" + "u".repeat(1000) + "\", \"email\": \"a@b.c\", \"name\": \"n\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("number of 1001 digits", ("{\"deposit_amount\": 1" + "0".repeat(1000) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.put("huge exponent", "{\"user_id\": 1, \"payment_id\": 1, \"deposit_amount\": 1e999999999}".getBytes(StandardCharsets.UTF_8));
        bodies.put("tiny exponent", "{\"user_id\": 1, \"payment_id\": 1, \"deposit_amount\": 1e-999999999}".getBytes(StandardCharsets.UTF_8));
        bodies.put("not JSON", "<xml/>".getBytes(StandardCharsets.UTF_8));
        bodies.put("empty", new byte[0]);
        bodies.put("array", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
        bodies.put("trailing garbage", "{\"user_id\": 1} {\"x\": 2}".getBytes(StandardCharsets.UTF_8));
        bodies.put("BOM", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
        return bodies;
    }

    private static String randomMethod(Random random) {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder method = new StringBuilder();
        for (int i = 0, n = 3 + random.nextInt(8); i < n; i++) {
            method.append(letters.charAt(random.nextInt(letters.length())));
        }
        return method.toString();
    }

    private static void assertJsonAnswer(HttpResponse<String> answer, String what) {
        assertThat(answer.statusCode()).as(what + ": " + answer.body()).isLessThan(500);
        assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError(what + ": not JSON: " + answer.body(), e);
        }
        if (answer.statusCode() >= 400) {
            assertThat(body.has("error")).as(what + ": " + answer.body()).isTrue();
        }
    }

    private static void assertJsonError(HttpResponse<String> answer, int status, String field) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertJsonAnswer(answer, "status " + status);
        if (field != null) {
            try {
                assertThat(JSON.readTree(answer.body()).path("field").asText()).isEqualTo(field);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private record RawAnswer(int status, String contentType, String body) {
    }

    private RawAnswer raw(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads one HTTP/1.1 answer: status line, headers, and a Content-Length or chunked body. */
    private static RawAnswer read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new RawAnswer(status, headers.getOrDefault("content-type", ""), body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
