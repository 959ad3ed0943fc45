package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.support.AppProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Start-up as an operator runs it (a separate JVM, environment variables): who may open the management port. */
class ManagementStartupTest {
    private static final String PASSWORD = "start-up-Pass-9z";

    @Test
    void boundBeyondLoopbackWithoutCredentialsTheAppRefusesToStartWithOneLine() throws Exception {
        try (AppProcess app = AppProcess.start(Map.of("INGEST_MANAGEMENT_HOST", "0.0.0.0"))) {
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isEqualTo(5);
            String line = "Start-up refused: management port bound to 0.0.0.0 without credentials: set INGEST_MANAGEMENT_USER"
                    + " and INGEST_MANAGEMENT_PASSWORD, or INGEST_MANAGEMENT_HOST=127.0.0.1";
            assertThat(Pattern.compile(Pattern.quote(line)).matcher(app.output()).results().count()).isEqualTo(1);
            assertThat(app.output()).doesNotContain("Exception");
        }
    }

    @Test
    void aPasswordWithoutItsUserIsRefusedAsWell() throws Exception {
        try (AppProcess app = AppProcess.start(Map.of("INGEST_MANAGEMENT_HOST", "0.0.0.0", "INGEST_MANAGEMENT_PASSWORD", PASSWORD))) {
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isEqualTo(5);
            assertThat(app.output()).contains("Start-up refused: management port bound to 0.0.0.0 without credentials")
                    .doesNotContain(PASSWORD);
        }
    }

    @Test
    void boundBeyondLoopbackWithCredentialsItServesOnlyThoseWhoGiveThem() throws Exception {
        try (AppProcess app = AppProcess.start(Map.of("INGEST_MANAGEMENT_HOST", "0.0.0.0",
                "INGEST_MANAGEMENT_USER", "ops", "INGEST_MANAGEMENT_PASSWORD", PASSWORD))) {
            await().atMost(Duration.ofSeconds(90)).until(app::healthy);
            String health = "http://127.0.0.1:" + app.managementPort() + "/observe/health";
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(health)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(401);
            String basic = "Basic " + Base64.getEncoder().encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(http.send(HttpRequest.newBuilder(URI.create(health)).header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(app.output()).doesNotContain(PASSWORD);
        }
    }
}
