package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.config.Mode;
import com.ingestrouter.pipeline.PipelineFiles;
import com.ingestrouter.support.RunningApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Every route file in the repo loads, follows the naming rules Hawtio and the tests rely on, and can be
 * edited outside the jar: a good edit reloads live, a broken one is refused while the old route runs.
 */
class RouteFilesTest {
    private static final Path ROUTES = Path.of("src/main/resources/routes");

    @Test
    void everyRouteHasAPipelineStageIdAndEveryExternalCallAnId() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : routeFiles()) {
            String pipeline = file.getFileName().toString().split("-")[0];
            Map<String, String> verbs = restVerbs(file);
            verbs.forEach((direct, routeId) -> {
                if (!routeId.matches(pipeline + "\\.[a-z0-9-]+")) {
                    problems.add(file + ": rest verb routeId '" + routeId + "' should read " + pipeline + ".<stage>");
                }
                if (!direct.equals("direct:" + routeId)) {
                    problems.add(file + ": rest verb " + routeId + " should go to direct:" + routeId + ", not " + direct);
                }
            });
            for (Object item : loadAll(file)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> route = (Map<String, Object>) ((Map<String, Object>) item).get("route");
                if (route == null) {
                    continue;
                }
                // A route a rest verb goes to is inlined into the verb and named by its routeId.
                String id = route.containsKey("id") ? String.valueOf(route.get("id")) : verbs.get(fromUri(route));
                if (id == null || !id.matches(pipeline + "\\.[a-z0-9-]+")) {
                    problems.add(file + ": route id '" + id + "' should read " + pipeline + ".<stage>");
                }
                if (route.containsKey("id") && verbs.containsKey(fromUri(route))) {
                    problems.add(file + ": route " + id + " is a rest verb's: its id is the verb's routeId");
                }
                if (!route.containsKey("routeConfigurationId") && !String.valueOf(id).endsWith(".demo")) {
                    problems.add(file + ": route " + id + " names no error handling (routeConfigurationId)");
                }
                if (String.valueOf(fromUri(route)).startsWith("platform-http:")) {
                    problems.add(file + ": route " + id + " serves HTTP outside the REST DSL");
                }
                collectUnnamedTos(route, file + " " + id, problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRouteInTheRepoLoadsAndStarts(@TempDir Path data) throws IOException {
        // The OpenAPI document's route (camel.rest.api-context-route-id in application.properties).
        List<String> declared = new ArrayList<>(List.of("operations.openapi"));
        for (Path file : routeFiles()) {
            declared.addAll(restVerbs(file).values());
            for (Object item : loadAll(file)) {
                Object route = ((Map<?, ?>) item).get("route");
                if (route != null && ((Map<?, ?>) route).containsKey("id")) {
                    declared.add(String.valueOf(((Map<?, ?>) route).get("id")));
                }
                // A templatedRoute (e.g. posts-pull.camel.yaml) makes a route with its routeId.
                Object templated = ((Map<?, ?>) item).get("templatedRoute");
                if (templated != null) {
                    declared.add(String.valueOf(((Map<?, ?>) templated).get("routeId")));
                }
            }
        }
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).start()) {
            // Each use of a block (kamelet) adds a route of its own, named after the kamelet.
            List<String> loaded = app.context().getRoutes().stream().filter(r -> !r.isCreatedByKamelet())
                    .map(Route::getRouteId).toList();
            assertThat(loaded).containsExactlyInAnyOrderElementsOf(declared);
            // Every HTTP endpoint is a REST DSL verb, the api document's route included.
            assertThat(app.context().getRoutes()).filteredOn(r -> r.getEndpoint().getEndpointUri().startsWith("platform-http:"))
                    .isEmpty();
        }
    }

    @Test
    void editedRouteReloadsLiveAndABrokenFileIsRefusedWhileTheOldRouteRuns(@TempDir Path dir) throws IOException {
        for (Path file : routeFiles()) {
            Files.copy(file, dir.resolve(file.getFileName()));
        }
        Path http = dir.resolve("payments-http.camel.yaml");
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).routesDirectory(dir, true).start()) {
            String ok = "{\"user_id\": 1, \"payment_id\": 9001, \"deposit_amount\": 1}";
            assertThat(app.post("/payments", ok).body()).isEqualTo("{\"payment_id\":9001}");

            // The answer echoes another field of the record: a block parameter edited in place.
            String original = Files.readString(http);
            String edited = original.replace("              queue: \"{{ingest.payments.queue}}\"\n              idField: payment_id",
                    "              queue: \"{{ingest.payments.queue}}\"\n              idField: user_id");
            assertThat(edited).isNotEqualTo(original);
            Files.writeString(http, edited);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.post("/payments", ok).body().equals("{\"user_id\":1}"));

            Files.writeString(http, "- route:\n    id: payments.http\n    from:\n      uri: platform-http:/payments\n      stepz: []\n");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    app.post("/payments", ok).body().equals("{\"user_id\":1}"));
        }
    }

    /**
     * Every use of a building block in the shipped routes and the examples names a known block, only
     * its parameters, and all of its required ones: the same check that refuses start-up, here without
     * a database, so a wrong parameter fails the build.
     */
    @Test
    void everyBlockUseNamesAKnownBlockAndItsRequiredParameters() throws Exception {
        List<Path> files = new ArrayList<>(routeFiles());
        try (Stream<Path> examples = Files.walk(Path.of("examples"))) {
            examples.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().forEach(files::add);
        }
        try (var context = new org.apache.camel.impl.DefaultCamelContext()) {
            context.build();
            PipelineFiles check = new PipelineFiles(context);
            Map<String, PipelineFiles.BlockDefinition> blocks = check.definitions("classpath:kamelets");
            assertThat(blocks).containsKeys("ingest-json-validate-action", "ingest-sql-sink", "ingest-queue-publish-action");
            List<String> problems = new ArrayList<>();
            int uses = 0;
            for (Path file : files) {
                for (PipelineFiles.BlockUse use : PipelineFiles.usesIn(file.toString(), Files.readString(file))) {
                    uses++;
                    PipelineFiles.BlockDefinition definition = switch (use.kamelet()) {
                        case "ingest-queue" -> PipelineFiles.queueSource();
                        case "ingest-topic" -> PipelineFiles.topicSource();
                        default -> blocks.get(use.kamelet());
                    };
                    if (definition == null) {
                        problems.add(use.file() + ":" + use.line() + ": unknown block " + use.kamelet());
                    } else {
                        PipelineFiles.problems(use, definition).forEach(p -> problems.add(use.file() + ":" + use.line() + ": " + p));
                    }
                }
            }
            assertThat(uses).as("block uses found").isGreaterThanOrEqualTo(8);
            assertThat(problems).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectUnnamedTos(Object node, String where, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            Object to = map.get("to");
            if (to instanceof Map<?, ?> target && !target.containsKey("id")) {
                problems.add(where + ": 'to " + target.get("uri") + "' has no id");
            } else if (to instanceof String uri) {
                problems.add(where + ": 'to " + uri + "' has no id");
            }
            map.values().forEach(v -> collectUnnamedTos(v, where, problems));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collectUnnamedTos(v, where, problems));
        }
    }

    /** The rest verbs of a route file: the direct endpoint each goes to, and its routeId. */
    static Map<String, String> restVerbs(Path file) throws IOException {
        Map<String, String> verbs = new java.util.LinkedHashMap<>();
        for (Object item : loadAll(file)) {
            Object rest = ((Map<?, ?>) item).get("rest");
            if (rest instanceof Map<?, ?> definition) {
                for (String method : List.of("get", "post", "put", "delete", "patch", "head")) {
                    if (definition.get(method) instanceof List<?> list) {
                        for (Object verb : list) {
                            Map<?, ?> v = (Map<?, ?>) verb;
                            Object to = v.get("to");
                            String uri = to instanceof Map<?, ?> target ? String.valueOf(target.get("uri")) : String.valueOf(to);
                            verbs.put(uri, String.valueOf(v.get("routeId")));
                        }
                    }
                }
            }
        }
        return verbs;
    }

    private static String fromUri(Map<String, Object> route) {
        Object from = route.get("from");
        return from instanceof Map<?, ?> f ? String.valueOf(f.get("uri")) : null;
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    static List<Object> loadAll(Path file) throws IOException {
        Object doc = new Yaml().load(Files.readString(file));
        assertThat(doc).as(file + " is a YAML list").isInstanceOf(List.class);
        return (List<Object>) doc;
    }
}
