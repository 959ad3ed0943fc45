package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.StubApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The management port as Hawtio and as an attacker use it: the real app with management credentials
 * set, Jolokia's policy (src/main/resources/jolokia-access.xml) and Camel's basic authentication.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JolokiaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String USER = "operator";
    private static final String PASSWORD = "mgmt-Pass-4-jolokia";
    private static final String HAWTIO_ORIGIN = "http://localhost:8090";
    private static final String ADMIN_TOKEN = "admin-token-never-leaves";
    private static final String CONTEXT = "org.apache.camel:context=ingest-router,type=context,name=\"ingest-router\"";
    private static final String HEALTH_ROUTE = "org.apache.camel:context=ingest-router,type=routes,name=\"operations.health\"";
    private static final String STOPPABLE_ROUTE = "org.apache.camel:context=ingest-router,type=routes,name=\"posts.status\"";

    private final StubApi listener = new StubApi();
    private final Path heapDump = Path.of(System.getProperty("java.io.tmpdir"), "ingest-jolokia-test-" + ProcessHandle.current().pid() + ".hprof");
    private RunningApp app;

    @BeforeAll
    void start() {
        listener.reply(StubApi.Reply.json("{}"));
        app = RunningApp.builder(Mode.EMBEDDED)
                .property("ingest.management.user", USER)
                .property("ingest.management.password", PASSWORD)
                .property("ingest.admin.token", ADMIN_TOKEN)
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        listener.close();
        Files.deleteIfExists(heapDump);
    }

    // --- What Hawtio does -------------------------------------------------------------------------

    @Test
    void hawtioListsAndReadsTheCamelContextAndEveryRouteWithStatistics() throws Exception {
        app.post("/payments", "{\"user_id\": 1, \"payment_id\": 77, \"deposit_amount\": 1}");
        JsonNode list = jolokia(Map.of("type", "list", "path", "org.apache.camel"));
        assertThat(list.get("status").asInt()).isEqualTo(200);
        assertThat(list.get("value").toString()).contains("type=routes").contains("dumpRoutesAsXml");

        JsonNode routes = jolokia(Map.of("type", "read",
                "mbean", "org.apache.camel:context=ingest-router,type=routes,name=*", "attribute", "ExchangesTotal"));
        assertThat(routes.get("status").asInt()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        routes.get("value").fieldNames().forEachRemaining(names::add);
        assertThat(names).anyMatch(n -> n.contains("name=\"payments.consume\""))
                .anyMatch(n -> n.contains("name=\"payments.http\""))
                .anyMatch(n -> n.contains("name=\"operations.health\""));

        JsonNode state = jolokia(Map.of("type", "read", "mbean", CONTEXT, "attribute", "State"));
        assertThat(state.get("value").asText()).isEqualTo("Started");
        assertThat(jolokia(Map.of("type", "version")).get("status").asInt()).isEqualTo(200);
        assertThat(jolokia(Map.of("type", "search", "mbean", "org.apache.camel:type=routes,*")).get("status").asInt())
                .isEqualTo(200);
    }

    @Test
    void hawtioDumpsTheRouteDiagramSourceAndStatistics() throws Exception {
        JsonNode dump = exec(CONTEXT, "dumpRoutesAsXml()");
        assertThat(dump.get("status").asInt()).isEqualTo(200);
        assertThat(dump.get("value").asText()).contains("id=\"payments.consume\"");

        // As Hawtio 4.2 calls them: bare names, arguments [true, true].
        assertThat(exec(HEALTH_ROUTE, "dumpRouteStatsAsXml", true, true).get("status").asInt()).isEqualTo(200);
        assertThat(exec(CONTEXT, "dumpRoutesStatsAsXml", true, true).get("status").asInt()).isEqualTo(200);
        JsonNode stats = exec(HEALTH_ROUTE, "dumpRouteStatsAsXml(boolean,boolean)", false, true);
        assertThat(stats.get("status").asInt()).isEqualTo(200);
        assertThat(stats.get("value").asText()).contains("routeStat").contains("operations.health");
        assertThat(exec(CONTEXT, "dumpRoutesStatsAsXml(boolean,boolean)", false, true).get("status").asInt()).isEqualTo(200);
        assertThat(exec(HEALTH_ROUTE, "dumpRouteAsXml()").get("value").asText()).contains("operations.health");
    }

    @Test
    void hawtioStopsAndStartsARouteByPostExec() throws Exception {
        assertThat(exec(STOPPABLE_ROUTE, "stop()").get("status").asInt()).isEqualTo(200);
        assertThat(routeState()).isEqualTo("Stopped");
        assertThat(exec(STOPPABLE_ROUTE, "start()").get("status").asInt()).isEqualTo(200);
        assertThat(routeState()).isEqualTo("Started");
        assertThat(exec(STOPPABLE_ROUTE, "suspend()").get("status").asInt()).isEqualTo(200);
        assertThat(exec(STOPPABLE_ROUTE, "resume()").get("status").asInt()).isEqualTo(200);
        assertThat(routeState()).isEqualTo("Started");
    }

    /** Hawtio 4 sends a remote agent's login in this header (its proxy passes it on unchanged). */
    @Test
    void hawtiosXJolokiaAuthorizationHeaderIsAcceptedAsTheLogin() throws Exception {
        String body = JSON.writeValueAsString(Map.of("type", "version"));
        HttpResponse<String> right = HTTP.send(HttpRequest.newBuilder(URI.create(base()))
                .header("X-Jolokia-Authorization", basic(USER, PASSWORD)).header("Origin", HAWTIO_ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(right.body()).get("status").asInt()).isEqualTo(200);
        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(base()))
                .header("X-Jolokia-Authorization", basic(USER, "nope")).header("Origin", HAWTIO_ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void hawtiosProxyOriginOnLocalhostIsServed() throws Exception {
        for (String origin : List.of("http://localhost:8090", "http://127.0.0.1:8090", "http://localhost")) {
            JsonNode read = send(post(Map.of("type", "read", "mbean", CONTEXT, "attribute", "State"), "Origin", origin));
            assertThat(read.get("status").asInt()).as(origin).isEqualTo(200);
        }
    }

    /** The policy names operations by exact signature: a typo there would silently refuse what Hawtio needs. */
    @Test
    void everyAllowedOperationExistsWithThatSignatureOnARegisteredMBean() throws Exception {
        org.w3c.dom.Document policy = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(getClass().getResourceAsStream("/jolokia-access.xml"));
        org.w3c.dom.NodeList mbeans = ((org.w3c.dom.Element) policy.getElementsByTagName("allow").item(0)).getElementsByTagName("mbean");
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < mbeans.getLength(); i++) {
            org.w3c.dom.Element mbean = (org.w3c.dom.Element) mbeans.item(i);
            String pattern = mbean.getElementsByTagName("name").item(0).getTextContent().trim();
            JsonNode names = jolokia(Map.of("type", "search", "mbean", pattern)).get("value");
            if (names.isEmpty()) {
                continue; // e.g. the backlog tracer, registered only when tracing is configured
            }
            List<String> signatures = new ArrayList<>();
            for (JsonNode name : names) {
                JsonNode ops = jolokia(Map.of("type", "list", "path", listPath(name.asText()) + "/op")).get("value");
                ops.fields().forEachRemaining(op -> {
                    for (JsonNode overload : op.getValue().isArray() ? op.getValue() : List.of(op.getValue())) {
                        List<String> types = new ArrayList<>();
                        overload.get("args").forEach(arg -> types.add(arg.get("type").asText()));
                        signatures.add(op.getKey() + "(" + String.join(",", types) + ")");
                    }
                });
            }
            org.w3c.dom.NodeList operations = mbean.getElementsByTagName("operation");
            List<String> allowed = new ArrayList<>();
            for (int j = 0; j < operations.getLength(); j++) {
                allowed.add(operations.item(j).getTextContent().trim());
            }
            for (String operation : allowed) {
                checked++;
                if (operation.contains("(")) {
                    if (!signatures.contains(operation)) {
                        missing.add(pattern + " " + operation);
                    }
                } else {
                    // A bare name runs the operation's only signature: that one must be allowed too.
                    List<String> overloads = signatures.stream().filter(sig -> sig.startsWith(operation + "(")).distinct().toList();
                    if (overloads.size() != 1 || !allowed.contains(overloads.get(0))) {
                        missing.add(pattern + " " + operation + " (bare name, signatures " + overloads + ")");
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(missing).isEmpty();
    }

    // --- What is refused ----------------------------------------------------------------------------

    /** Each operation exists on its MBean (so the refusal is not just "no such operation"). */
    Stream<Arguments> deniedOperations() {
        String leak = leakUri();
        return Stream.of(
                Arguments.of(CONTEXT, "requestBody(java.lang.String,java.lang.Object)", List.of(leak, "x")),
                Arguments.of(CONTEXT, "sendBody(java.lang.String,java.lang.Object)", List.of(leak, "x")),
                Arguments.of(CONTEXT, "sendStringBody(java.lang.String,java.lang.String)", List.of(leak, "x")),
                Arguments.of(CONTEXT, "requestStringBody(java.lang.String,java.lang.String)", List.of(leak, "x")),
                Arguments.of(CONTEXT, "sendBodyAndHeaders(java.lang.String,java.lang.Object,java.util.Map)", List.of(leak, "x", Map.of())),
                Arguments.of(CONTEXT, "requestBodyAndHeaders(java.lang.String,java.lang.Object,java.util.Map)", List.of(leak, "x", Map.of())),
                Arguments.of(CONTEXT, "createEndpoint(java.lang.String)", List.of(leak)),
                Arguments.of(CONTEXT, "stop()", List.of()),
                Arguments.of(CONTEXT, "suspend()", List.of()),
                Arguments.of(CONTEXT, "restart()", List.of()),
                Arguments.of(CONTEXT, "removeEndpoints(java.lang.String)", List.of("*")),
                Arguments.of(CONTEXT, "setGlobalOption(java.lang.String,java.lang.String)", List.of("CamelJacksonEnableTypeConverter", "true")),
                Arguments.of(CONTEXT, "setTracing(java.lang.Boolean)", List.of(true)),
                Arguments.of(CONTEXT, "dumpRoutesAsXml(boolean)", List.of(true)),
                Arguments.of(CONTEXT, "dumpRoutesAsYaml(boolean)", List.of(true)),
                Arguments.of(STOPPABLE_ROUTE, "stopAndFail()", List.of()),
                Arguments.of(STOPPABLE_ROUTE, "remove()", List.of()),
                Arguments.of(STOPPABLE_ROUTE, "updateRouteFromXml(java.lang.String)",
                        List.of("<route id=\"posts.status\"><from uri=\"timer:x\"/><to uri=\"" + leak + "\"/></route>")),
                Arguments.of(STOPPABLE_ROUTE, "dumpRouteAsXml(boolean)", List.of(true)),
                Arguments.of("com.sun.management:type=DiagnosticCommand", "gcClassHistogram([Ljava.lang.String;)", List.of(List.of())),
                Arguments.of("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()", List.of()),
                Arguments.of("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)",
                        List.of(heapDump.toString(), true)),
                Arguments.of("com.sun.management:type=HotSpotDiagnostic", "setVMOption(java.lang.String,java.lang.String)",
                        List.of("HeapDumpOnOutOfMemoryError", "true")),
                Arguments.of("java.lang:type=Threading", "dumpAllThreads(boolean,boolean)", List.of(true, true)),
                Arguments.of("java.lang:type=Memory", "gc()", List.of()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("deniedOperations")
    void deniedOperationIsRefusedAndHasNoEffect(String mbean, String operation, List<Object> arguments) throws Exception {
        String name = operation.substring(0, operation.indexOf('('));
        JsonNode ops = jolokia(Map.of("type", "list", "path", listPath(mbean) + "/op"));
        assertThat(ops.get("value").has(name)).as("%s exists on %s", name, mbean).isTrue();

        JsonNode answer = exec(mbean, operation, arguments.toArray());

        assertThat(answer.get("status").asInt()).isEqualTo(403);
        assertThat(answer.get("error").asText()).contains("forbidden");
        assertThat(listener.calls()).isZero();
        assertThat(heapDump).doesNotExist();
        assertThat(app.context().isStarted()).isTrue();
        assertThat(app.context().getRoute("posts.status")).isNotNull();
    }

    @Test
    void theLeakOfTheIssueSendsNothing() throws Exception {
        JsonNode answer = exec(CONTEXT, "requestBody(java.lang.String,java.lang.Object)", leakUri(), "x");
        assertThat(answer.get("status").asInt()).isEqualTo(403);
        // Would the request have arrived, it would have arrived by now: the listener is local.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> listener.calls() == 0);
        assertThat(answer.toString()).doesNotContain(ADMIN_TOKEN);
    }

    @Test
    void execOnAnObjectNamePatternIsRefused() throws Exception {
        JsonNode answer = exec("com.sun.management:type=Diagnostic*", "gcClassHistogram([Ljava.lang.String;)", List.of());
        assertThat(answer.get("status").asInt()).isEqualTo(403);
        JsonNode stopAll = exec("org.apache.camel:context=ingest-router,type=context,*", "stop()");
        assertThat(stopAll.get("status").asInt()).isEqualTo(403);
        assertThat(app.context().isStarted()).isTrue();
    }

    @Test
    void attributeWritesAndDiagnosticReadsAreRefused() throws Exception {
        JsonNode write = jolokia(Map.of("type", "write", "mbean", STOPPABLE_ROUTE, "attribute", "Tracing", "value", true));
        assertThat(write.get("status").asInt()).isEqualTo(403);
        JsonNode diagnosticRead = jolokia(Map.of("type", "read", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "attribute", "DiagnosticOptions"));
        assertThat(diagnosticRead.get("status").asInt()).isEqualTo(403);
    }

    @Test
    void noReadableAttributeOfAnyMBeanShowsTheAdminTokenOrThePassword() throws Exception {
        // One MBean at a time: an MBean left behind by another app in this JVM may fail to serialise.
        JsonNode names = jolokia(Map.of("type", "search", "mbean", "*:*")).get("value");
        int read = 0;
        for (JsonNode name : names) {
            JsonNode answer = jolokia(Map.of("type", "read", "mbean", name.asText(),
                    "config", Map.of("ignoreErrors", true, "maxDepth", 6)));
            if (answer.path("status").asInt() == 200) {
                read++;
                assertThat(answer.toString()).as(name.asText()).doesNotContain(ADMIN_TOKEN).doesNotContain(PASSWORD);
            }
        }
        assertThat(read).isGreaterThan(50);
    }

    @Test
    void getExecIsRefusedEvenForAnAllowedOperation() throws Exception {
        HttpResponse<String> response = HTTP.send(authorized(HttpRequest.newBuilder(URI.create(
                base() + "/exec/org.apache.camel:context=ingest-router,type=routes,name=%22posts.status%22/stop()"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused(response)).isTrue();
        assertThat(routeState()).isEqualTo("Started");
        HttpResponse<String> read = HTTP.send(authorized(HttpRequest.newBuilder(URI.create(
                base() + "/read/org.apache.camel:context=ingest-router,type=context,name=%22ingest-router%22/State"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused(read)).isTrue();
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        for (String origin : List.of("http://evil.example", "http://localhost.evil.example", "null")) {
            HttpResponse<String> answer = HTTP.send(post(Map.of("type", "read", "mbean", CONTEXT, "attribute", "State"),
                    "Origin", origin).build(), HttpResponse.BodyHandlers.ofString());
            assertOriginRefused(answer, origin);
            assertThat(answer.body()).doesNotContain("Started");
        }
        HttpResponse<String> byReferer = HTTP.send(post(Map.of("type", "exec", "mbean", STOPPABLE_ROUTE, "operation", "stop()"),
                "Referer", "http://evil.example/page.html").build(), HttpResponse.BodyHandlers.ofString());
        assertOriginRefused(byReferer, "Referer");
        assertThat(routeState()).isEqualTo("Started");
    }

    @Test
    void withoutTheCredentialsEveryManagementRequestAnswers401() throws Exception {
        String body = JSON.writeValueAsString(Map.of("type", "read", "mbean", CONTEXT, "attribute", "State"));
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(base()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

        HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(base()))
                .header("Authorization", basic(USER, PASSWORD + "x"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        for (String path : List.of("/observe/health", "/observe/metrics", "/observe/info")) {
            HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(management() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> health = HTTP.send(authorized(HttpRequest.newBuilder(URI.create(management() + "/observe/health"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void theUsersFileIsDeletedOnceTheServerHasReadIt() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("ingest-management-"))
                    .filter(f -> readQuietly(f).contains(PASSWORD))).isEmpty();
        }
    }

    // --- helpers ------------------------------------------------------------------------------------

    private String leakUri() {
        return listener.url("/leak/{{ingest.admin.token}}");
    }

    private String routeState() throws Exception {
        return jolokia(Map.of("type", "read", "mbean", STOPPABLE_ROUTE, "attribute", "State")).get("value").asText();
    }

    private JsonNode exec(String mbean, String operation, Object... arguments) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("type", "exec");
        request.put("mbean", mbean);
        request.put("operation", operation);
        request.put("arguments", List.of(arguments));
        return jolokia(request);
    }

    private JsonNode jolokia(Map<String, ?> request) throws Exception {
        return send(post(request));
    }

    private HttpRequest.Builder post(Map<String, ?> request) throws Exception {
        return post(request, "Origin", HAWTIO_ORIGIN);
    }

    private HttpRequest.Builder post(Map<String, ?> request, String originHeader, String origin) throws Exception {
        return HttpRequest.newBuilder(URI.create(base()))
                .header("Authorization", basic(USER, PASSWORD))
                .header(originHeader, origin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)));
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 && !body.has("status")) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return body;
    }

    /**
     * Jolokia answers a refused request with {"status": 403}. A refused Origin comes back as status 500
     * "InvocationTargetException" instead: Camel's Vert.x handler calls Jolokia's access check by
     * reflection and does not unwrap its SecurityException. Either way nothing ran.
     */
    /** Jolokia's own refusal (403, SecurityException), never a 500. */
    private static void assertOriginRefused(HttpResponse<String> answer, String what) throws Exception {
        assertThat(answer.statusCode()).as(what + ": " + answer.body()).isEqualTo(403);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("status").asInt()).isEqualTo(403);
        assertThat(body.path("error_type").asText()).isEqualTo("java.lang.SecurityException");
    }

    private static boolean refused(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        int status = body.path("status").asInt();
        return response.statusCode() == 403 || status == 403
                || status == 500 && body.path("error_type").asText().equals("java.lang.reflect.InvocationTargetException");
    }

    private static String listPath(String mbean) throws Exception {
        javax.management.ObjectName name = new javax.management.ObjectName(mbean);
        return name.getDomain() + "/" + name.getCanonicalKeyPropertyListString().replace("/", "!/");
    }

    /** As Hawtio's proxy sends a request: the credentials, and the browser's Origin (Hawtio's page on localhost). */
    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", basic(USER, PASSWORD)).header("Origin", HAWTIO_ORIGIN);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String management() {
        return "http://127.0.0.1:" + app.property("camel.management.port");
    }

    private String base() {
        return management() + "/observe/jolokia";
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }
}
