package com.ingestrouter.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import com.ingestrouter.support.TcpProxy;
import com.ingestrouter.support.TestDatabase;
import com.ingestrouter.support.TestServices;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** POST /log with RabbitMQ unreachable (a cut proxy in front of the real broker): 503, nothing stored. */
class LogsBrokerDownTest {

    @Test
    void brokerDownAnswers503AndTheNextPostAfterItIsBackIsAccepted() {
        String queue = TestServices.freshQueue("logs");
        String payments = TestServices.freshQueue("payments");
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5672);
                RunningApp app = RunningApp.builder(Mode.BROKERS)
                        .database(TestDatabase.H2, "logs_broker_down")
                        .property("ingest.rabbitmq.url", "amqp://guest:guest@127.0.0.1:" + proxy.port() + "/")
                        .property("ingest.logs.queue", queue)
                        .property("ingest.payments.queue", payments)
                        .start()) {
            proxy.cut();
            HttpResponse<String> refused = app.post("/log", "{\"msg\": \"while the broker is away\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"error\":\"service unavailable");

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> app.post("/log", "{\"msg\": \"back\"}").statusCode() == 202);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.rows("SELECT id FROM logs").size() >= 1);
            assertThat(app.rows("SELECT CAST(data AS VARCHAR(1000)) AS data FROM logs"))
                    .allSatisfy(row -> assertThat((String) row.get("data")).doesNotContain("while the broker is away"));
        } finally {
            TestServices.deleteQueue(queue);
            TestServices.deleteQueue(payments);
        }
    }
}
