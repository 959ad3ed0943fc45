package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestDatabase;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.spi.RestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /openapi.json: an OpenAPI 3.1 document of every public endpoint (a user pipeline's too), with its
 * methods, status codes and the schemas of its bodies; the request schemas are the JSON Schemas the
 * routes validate with, and live answers match the answer schemas. Embedded mode with the shipments
 * example pipeline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "openapi-admin-token";
    /** The endpoints the README documents, and the example pipeline's. */
    private static final Set<String> ENDPOINTS = Set.of("POST /payments", "POST /produce", "POST /log",
            "GET /users/{id}", "GET /orders/{id}", "GET /reviews/{id}", "GET /products/{name}/reviews",
            "GET /logs", "GET /logs/{id}", "GET /posts", "GET /posts/{id}", "POST /posts/ingest", "GET /status",
            "GET /dlq", "GET /dlq/{pipeline}", "DELETE /dlq/{pipeline}", "POST /dlq/{pipeline}/replay",
            "GET /health", "GET /health/ready", "GET /health/live", "GET /metrics", "POST /shipments");
    private RunningApp app;
    private JsonNode doc;

    @BeforeAll
    void start() throws Exception {
        app = RunningApp.builder(Mode.EMBEDDED).database(TestDatabase.H2, "openapi")
                .routesDirectory(Path.of("examples/shipments"), false)
                .property("ingest.admin.token", TOKEN)
                .property("ingest.posts.enabled", false)
                .start();
        HttpResponse<String> answer = app.get("/openapi.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
        doc = JSON.readTree(answer.body());
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void theDocumentParsesAsOpenApi31WithoutAProblem() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc.toString(), null, options);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1");
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/payments", "/shipments", "/users/{id}");
    }

    @Test
    void everyEndpointIsListedWithItsMethods() {
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        Set<String> served = new TreeSet<>();
        for (RestRegistry.RestService service : app.context().getRestRegistry().listAllRestServices()) {
            if (!"api".equals(service.getMethod())) {
                served.add(service.getMethod().toUpperCase(Locale.ROOT) + " "
                        + (service.getBasePath() + "/" + (service.getUriTemplate() == null ? "" : service.getUriTemplate()))
                        .replaceAll("/+", "/").replaceAll("(.)/$", "$1"));
            }
        }
        assertThat(documented).isEqualTo(new TreeSet<>(ENDPOINTS));
        assertThat(served).isEqualTo(documented);
    }

    @Test
    void everyAnswerHasAStatusCodeAndASchema() {
        List<String> problems = new ArrayList<>();
        forEachOperation((name, operation) -> {
            JsonNode responses = operation.get("responses");
            if (responses == null || responses.isEmpty()) {
                problems.add(name + ": no responses");
                return;
            }
            responses.fields().forEachRemaining(answer -> {
                assertThat(answer.getKey()).as(name).matches("[1-5][0-9][0-9]");
                JsonNode content = answer.getValue().path("content");
                if (content.isEmpty()) {
                    problems.add(name + " " + answer.getKey() + ": no content");
                }
                content.fields().forEachRemaining(media -> {
                    JsonNode schema = media.getValue().get("schema");
                    if (schema == null) {
                        problems.add(name + " " + answer.getKey() + " " + media.getKey() + ": no schema");
                    } else if (media.getKey().contains("json") && resolve(schema).isMissingNode()) {
                        problems.add(name + " " + answer.getKey() + ": schema " + schema + " is not in the components");
                    }
                });
                if (answer.getKey().startsWith("4") || answer.getKey().startsWith("5")) {
                    JsonNode schema = content.path("application/json").path("schema");
                    if (!"#/components/schemas/http.error".equals(schema.path("$ref").asText())
                            && !name.startsWith("GET /health") && !name.equals("POST /posts/ingest")) {
                        problems.add(name + " " + answer.getKey() + ": an error answer that is not http.error");
                    }
                }
            });
        });
        assertThat(problems).isEmpty();
        // The errors every route can give, and the ones the REST DSL gives.
        assertThat(doc.at("/paths/~1payments/post/responses").fieldNames()).toIterable()
                .containsExactly("202", "400", "413", "415", "503");
        assertThat(doc.at("/paths/~1health~1live/get/responses/503/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/http.operations.health");
        assertThat(doc.at("/paths/~1metrics/get/responses/200/content").fieldNames().next()).startsWith("text/plain");
    }

    @Test
    void requestBodiesAreTheJsonSchemasTheRoutesValidateWith() throws Exception {
        Map<String, String> bodies = Map.of("/payments", "payments.payment", "/log", "logs.record",
                "/shipments", "shipments.shipment", "/dlq/{pipeline}/replay", "operations.replay-ids");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            JsonNode schema = doc.path("paths").path(body.getKey()).path("post").path("requestBody").path("content")
                    .path("application/json").path("schema");
            assertThat(schema.path("$ref").asText()).as(body.getKey()).isEqualTo("#/components/schemas/" + body.getValue());
        }
        JsonNode produce = doc.at("/paths/~1produce/post/requestBody/content/application~1json/schema/oneOf");
        assertThat(produce).hasSize(5);
        for (JsonNode type : produce) {
            String name = type.get("$ref").asText().replace("#/components/schemas/events.", "");
            assertThat(withoutIdentity(resolve(type))).isEqualTo(withoutIdentity(file("src/main/resources/schemas/events/" + name + ".json")));
        }
        assertThat(withoutIdentity(doc.at("/components/schemas/payments.payment")))
                .isEqualTo(withoutIdentity(file("src/main/resources/schemas/payments/payment.json")));
        assertThat(withoutIdentity(doc.at("/components/schemas/shipments.shipment")))
                .isEqualTo(withoutIdentity(file("examples/shipments/schemas/shipments/shipment.json")));
        assertThat(doc.at("/paths/~1users~1{id}/get/parameters").findValuesAsText("name")).containsExactly("id", "limit");
        assertThat(doc.at("/paths/~1logs/get/parameters").findValuesAsText("name")).containsExactly("level", "since", "limit", "offset");
    }

    /** Vert.x refuses the method; the Allow header names the documented verbs of that path. */
    @Test
    void aMethodNoVerbTakesIs405WithTheMethodsTheDocumentListsForThatPath() throws Exception {
        Map<String, String> cases = Map.of("/dlq/payments", "DELETE,GET", "/payments", "POST", "/posts/ingest", "GET,POST",
                "/users/recent", "GET", "/health/live", "GET");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> answer = app.send(HttpRequest.newBuilder(app.uri(c.getKey()))
                    .method("PUT", HttpRequest.BodyPublishers.noBody()));
            assertThat(answer.statusCode()).as(c.getKey()).isEqualTo(405);
            assertThat(answer.headers().firstValue("Allow")).as(c.getKey()).hasValue(c.getValue());
            assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("method PUT not allowed; use " + c.getValue());
        }
        assertThat(doc.at("/paths/~1dlq~1{pipeline}").fieldNames()).toIterable().containsExactlyInAnyOrder("get", "delete");
        HttpResponse<String> unknown = app.get("/nowhere");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("no such resource: /nowhere");
    }

    @Test
    void liveAnswersMatchTheirDocumentedSchemas() {
        check("POST /payments", 202, app.post("/payments", "{\"user_id\": 1, \"payment_id\": 77, \"deposit_amount\": 1.5}"));
        check("POST /payments", 400, app.post("/payments", "{\"user_id\": 1, \"payment_id\": \"x\", \"deposit_amount\": 1}"));
        check("POST /log", 202, app.post("/log", "{\"level\": \"info\", \"message\": \"openapi\"}"));
        check("POST /produce", 202, app.post("/produce", "{\"eventId\": \"oa-1\", \"eventType\": \"UserCreated\","
                + " \"timestamp\": \"2026-03-01T10:00:00Z\", \"userId\": \"oa-u\", \"email\": \"oa@example.com\", \"name\": \"O\"}"));
        check("POST /shipments", 202, app.post("/shipments",
                "{\"shipmentId\":\"S-oa\",\"orderId\":\"O-oa\",\"status\":\"created\",\"updatedAt\":\"2026-12-01T09:00:00Z\"}"));
        check("POST /payments", 415, app.send(HttpRequest.newBuilder(app.uri("/payments")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))));
        check("POST /log", 202, app.send(HttpRequest.newBuilder(app.uri("/log"))
                .header("Content-Type", "application/vnd.example+json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"level\": \"info\"}"))));
        check("GET /users/{id}", 404, app.get("/users/nobody"));
        check("GET /users/{id}", 200, app.get("/users/recent"));
        check("GET /logs", 200, app.get("/logs?limit=5"));
        check("GET /logs", 400, app.get("/logs?limit=0"));
        check("GET /posts", 200, app.get("/posts"));
        check("GET /status", 200, app.get("/status"));
        check("GET /health", 200, app.get("/health"));
        check("GET /health/live", 200, app.get("/health/live"));
        check("GET /dlq", 401, app.get("/dlq"));
        check("GET /dlq", 200, app.send(HttpRequest.newBuilder(app.uri("/dlq")).header("Authorization", "Bearer " + TOKEN)));
        check("GET /dlq/{pipeline}", 200, app.send(HttpRequest.newBuilder(app.uri("/dlq/payments"))
                .header("Authorization", "Bearer " + TOKEN)));
        check("DELETE /dlq/{pipeline}", 200, app.send(HttpRequest.newBuilder(app.uri("/dlq/payments"))
                .header("Authorization", "Bearer " + TOKEN).DELETE()));
        check("POST /dlq/{pipeline}/replay", 200, app.send(HttpRequest.newBuilder(app.uri("/dlq/payments/replay"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())));
    }

    private void check(String operation, int status, HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isEqualTo(status);
        String[] parts = operation.split(" ", 2);
        JsonNode schema = doc.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT)).path("responses")
                .path(Integer.toString(status)).path("content").path("application/json").path("schema");
        assertThat(schema.isMissingNode()).as(operation + " documents " + status).isFalse();
        try {
            var problems = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(resolve(schema))
                    .validate(JSON.readTree(answer.body()));
            assertThat(problems).as(operation + " " + status + ": " + answer.body()).isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(operation + ": not JSON: " + answer.body(), e);
        }
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : schema;
    }

    private static JsonNode file(String path) throws Exception {
        return JSON.readTree(Files.readString(Path.of(path)));
    }

    private static JsonNode withoutIdentity(JsonNode schema) {
        ObjectNode copy = schema.deepCopy();
        copy.remove(List.of("$schema", "$id"));
        return copy;
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> action) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(method ->
                    action.accept(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue()));
        }
    }
}
