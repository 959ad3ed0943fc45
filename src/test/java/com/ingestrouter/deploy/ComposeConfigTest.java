package com.ingestrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Offline checks of docker-compose.yml and .env.example against the variables the app reads. SnakeYAML
 * resolves the file's anchors and merge keys the way compose does; ${...} is left uninterpolated.
 */
class ComposeConfigTest {
    /** A ${NAME...} reference; $${NAME} is compose's escape for the container's shell and does not count. */
    private static final Pattern INTERPOLATION = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    /** NAME=value, also when commented out: the file documents settings that are off by default. */
    private static final Pattern ENV_EXAMPLE_ENTRY = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=", Pattern.MULTILINE);
    private static final Pattern ENV_EXAMPLE_SET = Pattern.compile("^([A-Z][A-Z0-9_]*)=", Pattern.MULTILINE);

    private static final String APP_IMAGE = "ingest-router:local";
    private static final Pattern APP_DEFAULT = Pattern.compile("\\{\\{env:(INGEST_[A-Z0-9_]+):([^}]*)}}");

    private static final Pattern REDIS_DATABASE = Pattern.compile(":\\d+(?:/(\\d+))?$");

    private static String composeText;
    private static Map<String, Map<String, Object>> services;
    private static String envExample;
    private static Set<String> appVariables;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        composeText = Files.readString(Path.of("docker-compose.yml"));
        Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(composeText);
        services = (Map<String, Map<String, Object>>) compose.get("services");
        envExample = Files.readString(Path.of(".env.example"));
        appVariables = AppVariables.read();
    }

    @Test
    void everyIngestVariableTheComposeFileSetsIsOneTheAppReads() {
        services.forEach((name, service) -> assertThat(environment(service).keySet())
                .as("INGEST_* in the environment of service %s", name)
                .filteredOn(key -> key.startsWith("INGEST_"))
                .isSubsetOf(appVariables));
    }

    @Test
    void everyVariableTheAppReadsIsPassedToEveryAppService() {
        assertThat(appServices()).containsExactlyInAnyOrder("app", "app-mssql", "app-postgres");
        appServices().forEach(name -> assertThat(environment(services.get(name)).keySet())
                .as("INGEST_* passed to %s", name)
                .containsAll(appVariables));
    }

    @Test
    void theAppImageIsBuiltOnceAndRunByEveryAppService() {
        assertThat(appServices()).filteredOn(name -> services.get(name).containsKey("build")).containsExactly("app");
        assertThat(appServices()).extracting(name -> services.get(name).get("image")).containsOnly(APP_IMAGE);
    }

    /** Two variants sharing a queue, topic, group or Redis database would split or mix each other's messages. */
    @Test
    void appVariantsKeepTheirQueuesTopicGroupAndDeadLettersApart() throws IOException {
        Map<String, String> defaults = appDefaults();
        for (String key : List.of("INGEST_PAYMENTS_QUEUE", "INGEST_LOGS_QUEUE", "INGEST_EVENTS_TOPIC",
                "INGEST_EVENTS_GROUP_ID", "INGEST_REDIS_URL")) {
            List<String> values = appServices().stream().map(name -> {
                String value = environment(services.get(name)).get(key);
                value = value == null || value.isEmpty() ? defaults.get(key) : value;
                return key.equals("INGEST_REDIS_URL") ? redisDatabase(value) : value;
            }).toList();
            assertThat(values).as(key + " of " + appServices()).doesNotHaveDuplicates();
        }
    }

    @Test
    void routesDirectoryIsMountedWhereEnvExampleSaysAndTheAppLoadsIt() {
        appServices().forEach(name -> assertThat((List<?>) services.get(name).get("volumes"))
                .as("volumes of %s", name)
                .anySatisfy(volume -> assertThat(String.valueOf(volume)).endsWith(":/app/routes:ro")));
        assertThat(envExample).contains("INGEST_ROUTES_DIR=/app/routes");
    }

    @Test
    void rabbitMqIsA4xImageWhosePrometheusEndpointIsScraped() throws IOException {
        Map<String, Object> rabbit = services.get("rabbitmq");
        assertThat(String.valueOf(rabbit.get("image"))).matches("rabbitmq:4\\.\\d+-management");
        assertThat(Files.readString(Path.of("deploy/rabbitmq/enabled_plugins"))).contains("rabbitmq_prometheus");
        assertThat((List<?>) rabbit.get("volumes")).anySatisfy(volume -> assertThat(String.valueOf(volume))
                .isEqualTo("./deploy/rabbitmq/enabled_plugins:/etc/rabbitmq/enabled_plugins:ro"));
        assertThat(Files.readString(Path.of("deploy/prometheus/prometheus.yml"))).contains("\"rabbitmq:15692\"");
    }

    @Test
    void envExampleNamesOnlyIngestVariablesTheAppReads() {
        assertThat(names(ENV_EXAMPLE_ENTRY, envExample)).filteredOn(n -> n.startsWith("INGEST_")).isSubsetOf(appVariables);
    }

    @Test
    void envExampleDocumentsEveryVariableTheAppReads() {
        assertThat(names(ENV_EXAMPLE_ENTRY, envExample)).containsAll(appVariables);
    }

    @Test
    void envExampleSetsEveryVariableTheComposeFileInterpolates() {
        assertThat(names(ENV_EXAMPLE_SET, envExample)).containsAll(names(INTERPOLATION, composeText));
    }

    @Test
    void everyServiceHasAHealthcheckAndWaitsForHealthyDependencies() {
        services.forEach((name, service) -> {
            assertThat(service).as("service %s", name).containsKey("healthcheck");
            Object dependsOn = service.get("depends_on");
            if (dependsOn != null) {
                assertThat(dependsOn).as("depends_on of %s names conditions", name).isInstanceOf(Map.class);
                ((Map<?, ?>) dependsOn).forEach((dependency, condition) -> assertThat(condition)
                        .as("%s waits for %s", name, dependency)
                        .isEqualTo(Map.of("condition", "service_healthy")));
            }
        });
    }

    @Test
    void noCredentialIsWrittenIntoTheComposeFile() {
        services.forEach((name, service) -> environment(service).forEach((key, value) -> {
            boolean credential = key.matches(".*(PASSWORD|PASS|SECRET|TOKEN|AUTH).*") || value.matches("\\w+://[^/]*@.*");
            // A bare key (no value) passes the variable through from .env or the shell.
            if (credential && !value.isEmpty()) {
                assertThat(value).as("%s of %s comes from .env", key, name).matches("(?s).*\\$\\{[A-Z_]+(:[?-][^}]*)?}.*");
            }
        }));
    }

    @Test
    void theAppOpensJolokiaToTheComposeNetworkForHawtio() {
        assertThat(environment(services.get("app"))).containsEntry("INGEST_MANAGEMENT_HOST", "0.0.0.0");
    }

    /** The Redis logical database of a redis:// URL (its path; none means 0): host and password are shared. */
    private static String redisDatabase(String url) {
        Matcher m = REDIS_DATABASE.matcher(url);
        assertThat(m.find()).as("database of %s", url).isTrue();
        return m.group(1) == null ? "0" : m.group(1);
    }

    /** The services that run the app image. */
    private static List<String> appServices() {
        return services.entrySet().stream()
                .filter(e -> APP_IMAGE.equals(e.getValue().get("image")) || e.getValue().containsKey("build")
                        && ".".equals(e.getValue().get("build")))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** The app's own default for each INGEST_* variable: {{env:NAME:default}} in application.properties. */
    private static Map<String, String> appDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher m = APP_DEFAULT.matcher(Files.readString(Path.of("application.properties")));
        while (m.find()) {
            defaults.put(m.group(1), m.group(2));
        }
        return defaults;
    }

    /** A service's environment as a map; list entries "NAME=value" and bare "NAME" included. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = String.valueOf(entry).split("=", 2);
                result.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return result;
    }

    private static Set<String> names(Pattern pattern, String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
