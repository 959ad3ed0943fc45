package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

/**
 * Embedded mode answers 202 once a payment is on the in-JVM queue. A graceful stop (SIGTERM) right
 * after must drain that queue into H2: restarted on the same H2 file, every accepted payment is there.
 */
class EmbeddedShutdownTest {
    private static final int PAYMENTS = 100;

    @Test
    void aGracefulStopStoresEveryPaymentThatGotA202() throws Exception {
        Path dir = Files.createTempDirectory("ingest-embedded-stop");
        String url = "jdbc:h2:file:" + dir.resolve("ingest") + ";MODE=Regular";
        RunningApp.Builder builder = RunningApp.builder(Mode.EMBEDDED).databaseUrl(TestDatabase.H2, url)
                .property("camel.main.shutdown-timeout", 30);
        int accepted = 0;
        RunningApp app = builder.start();
        // A slow consumer, so the queue still holds accepted payments when the stop begins.
        AdviceWith.adviceWith(app.context(), "payments.consume", route -> route.weaveAddFirst().delay(100).syncDelayed());
        for (int i = 1; i <= PAYMENTS; i++) {
            assertThat(post(app, i)).isEqualTo(202);
            accepted++;
        }
        // The in-JVM queue behind ingest-queue:payments.
        var queue = app.context().getComponent("seda", org.apache.camel.component.seda.SedaComponent.class)
                .getQueueReference("seda://payments-queue");
        assertThat(queue.getQueue().size()).as("payments still queued when the stop begins").isPositive();
        Thread stop = new Thread(app::close, "graceful-stop");
        stop.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> app.context().isStopping() || app.context().isStopped());
        // Posts during the stop: refused, or accepted and then drained like the others.
        for (int i = PAYMENTS + 1; i <= PAYMENTS + 20; i++) {
            int status = post(app, i);
            if (status != 202) {
                break;
            }
            accepted++;
        }
        stop.join(60_000);
        try (RunningApp restarted = builder.start()) {
            assertThat(restarted.jdbc().queryForObject("SELECT COUNT(*) FROM payment_events", Long.class)).isEqualTo(accepted);
        }
    }

    private static int post(RunningApp app, int id) {
        try {
            return app.post("/payments", "{\"user_id\": 1, \"payment_id\": " + id + ", \"deposit_amount\": 1}").statusCode();
        } catch (IllegalStateException refused) {
            return -1;
        }
    }
}
