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
            if (credential) {
                assertThat(value).as("%s of %s comes from .env", key, name).matches("(?s).*\\$\\{[A-Z_]+(:[?-][^}]*)?}.*");
            }
        }));
    }

    @Test
    void theAppOpensJolokiaToTheComposeNetworkForHawtio() {
        assertThat(environment(services.get("app"))).containsEntry("INGEST_MANAGEMENT_HOST", "0.0.0.0");
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
