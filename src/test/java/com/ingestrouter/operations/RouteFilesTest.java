package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.config.Mode;
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
            for (Object item : loadAll(file)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> route = (Map<String, Object>) ((Map<String, Object>) item).get("route");
                if (route == null) {
                    continue;
                }
                String id = String.valueOf(route.get("id"));
                if (!id.matches(pipeline + "\\.[a-z0-9-]+")) {
                    problems.add(file + ": route id '" + id + "' should read " + pipeline + ".<stage>");
                }
                if (!route.containsKey("routeConfigurationId") && !id.endsWith(".demo")) {
                    problems.add(file + ": route " + id + " names no error handling (routeConfigurationId)");
                }
                collectUnnamedTos(route, file + " " + id, problems);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRouteInTheRepoLoadsAndStarts(@TempDir Path data) throws IOException {
        List<String> declared = new ArrayList<>();
        for (Path file : routeFiles()) {
            for (Object item : loadAll(file)) {
                Object route = ((Map<?, ?>) item).get("route");
                if (route != null) {
                    declared.add(String.valueOf(((Map<?, ?>) route).get("id")));
                }
            }
        }
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).start()) {
            List<String> loaded = app.context().getRoutes().stream().map(Route::getRouteId).toList();
            assertThat(loaded).containsExactlyInAnyOrderElementsOf(declared);
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
            assertThat(app.post("/payments", ok).body()).isEqualTo("{\"payment_id\": 9001}");

            Files.writeString(http, Files.readString(http).replace(
                    "'{\"payment_id\": ${exchangeProperty.payment.paymentId}}'",
                    "'{\"payment_id\": ${exchangeProperty.payment.paymentId}, \"edited\": true}'"));
            await().atMost(Duration.ofSeconds(30)).until(() -> app.post("/payments", ok).body().contains("\"edited\": true"));

            Files.writeString(http, "- route:\n    id: payments.http\n    from:\n      uri: platform-http:/payments\n      stepz: []\n");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    app.post("/payments", ok).body().contains("\"edited\": true"));
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

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    private static List<Object> loadAll(Path file) throws IOException {
        Object doc = new Yaml().load(Files.readString(file));
        assertThat(doc).as(file + " is a YAML list").isInstanceOf(List.class);
        return (List<Object>) doc;
    }
}
