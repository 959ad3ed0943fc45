package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.apache.camel.spi.CliConnector;
import org.junit.jupiter.api.Test;

/**
 * camel-cli-connector publishes the running app in ~/.camel/&lt;pid&gt;-status.json, the file Camel JBang's
 * {@code camel ps} and {@code camel get route|health} read; the directory holds resolved settings, so
 * it must be owner-only.
 */
class CamelCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of(System.getProperty("user.home"), ".camel");

    @Test
    void camelJBangSeesTheRoutesAndTheDependencyChecksInAnOwnerOnlyDirectory() throws Exception {
        Path status = DIR.resolve(ProcessHandle.current().pid() + "-status.json");
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).property("ingest.cli.enabled", true).start()) {
            // Rewritten every second, from a connector that starts once the routes have.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                    !JSON.readTree(status.toFile()).path("routes").isEmpty());
            JsonNode report = JSON.readTree(status.toFile());
            assertThat(report.at("/context/name").asText()).isEqualTo("ingest-router");
            assertThat(report.path("routes")).anySatisfy(route ->
                    assertThat(route.path("routeId").asText()).isEqualTo("payments.http"));
            assertThat(report.at("/healthChecks/checks")).anySatisfy(check -> {
                assertThat(check.path("group").asText()).isEqualTo("dependencies");
                assertThat(check.path("id").asText()).isEqualTo("database");
            });
            assertThat(report.at("/trace/standby").asBoolean()).as("tracer ready for camel trace").isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DIR))).isEqualTo("rwx------");
        }
    }

    @Test
    void theConnectorIsNotStartedWhenDisabled() {
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).property("ingest.cli.enabled", false).start()) {
            assertThat(app.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(app.context().hasService(CliConnector.class)).isNull();
        }
    }
}
