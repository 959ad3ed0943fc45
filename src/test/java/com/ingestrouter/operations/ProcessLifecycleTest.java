package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.support.AppProcess;
import com.ingestrouter.support.RunningApp;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The application as an operator runs it: a separate JVM, started and stopped with signals. */
class ProcessLifecycleTest {

    @Test
    void unreachableDatabaseExitsNonZeroWithOneLineNamingIt() throws Exception {
        int closedPort = RunningApp.freePort();
        try (AppProcess app = AppProcess.start(Map.of(
                "INGEST_DB_URL", "jdbc:mysql://127.0.0.1:" + closedPort + "/test",
                "INGEST_DB_USER", "root",
                "INGEST_STARTUP_TIMEOUT", "2"))) {
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isEqualTo(3);
            assertThat(app.output()).containsPattern(
                    "Start-up failed: database at jdbc:mysql://127.0.0.1:" + closedPort + "/test not reachable after 2 s: .*Connection refused");
        }
    }

    @Test
    void aTakenHttpPortExitsNonZeroWithOneLineNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"));
                AppProcess app = AppProcess.start(Map.of("INGEST_HTTP_PORT", Integer.toString(taken.getLocalPort())))) {
            // Before, Vert.x logged the failed bind and the app ran on, healthy on the management port.
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isEqualTo(6);
            assertThat(app.output()).contains("Start-up failed: HTTP port 0.0.0.0:" + taken.getLocalPort() + " cannot be bound");
        }
    }

    @Test
    void aRouteThatCannotStartExitsNonZeroInsteadOfHanging(@TempDir Path routes) throws Exception {
        Files.writeString(routes.resolve("broken.camel.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: "no-such-component:anything"
                      steps:
                        - log: "never"
                """);
        try (AppProcess app = AppProcess.start(Map.of("INGEST_ROUTES_DIR", routes.toString()))) {
            // Before, the exception left main and the JVM lived on in the threads the start had left.
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(app.output()).contains("Start-up failed: ").contains("no-such-component");
        }
    }

    @Test
    void sigtermStopsConsumingAndLogsGracefulShutdown() throws Exception {
        try (AppProcess app = AppProcess.start(Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(app::healthy);
            app.terminate();
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isIn(0, 143);
            assertThat(app.output()).contains("Shutting down gracefully");
        }
    }
}
