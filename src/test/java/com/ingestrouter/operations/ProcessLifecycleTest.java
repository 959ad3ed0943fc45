package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.support.AppProcess;
import com.ingestrouter.support.RunningApp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    void sigtermStopsConsumingAndLogsGracefulShutdown() throws Exception {
        try (AppProcess app = AppProcess.start(Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(app::healthy);
            app.terminate();
            assertThat(app.waitForExit(Duration.ofSeconds(60))).isIn(0, 143);
            assertThat(app.output()).contains("Shutting down gracefully");
        }
    }
}
