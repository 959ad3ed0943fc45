package com.ingestrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** POST /produce when no Kafka broker answers: 503 with a JSON error once the produce timeout is over. */
class EventsKafkaDownTest {

    @Test
    void produceAnswers503WhenKafkaDoesNotAcknowledge() throws Exception {
        int closed = RunningApp.freePort();
        // Embedded mode with only the publish endpoint pointed at a broker address nobody listens on.
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED)
                .property("ingest.events.publish", "kafka:events?brokers=127.0.0.1:" + closed
                        + "&recordMetadata=true&requestRequiredAcks=all&maxBlockMs=1500&requestTimeoutMs=1500"
                        + "&deliveryTimeoutMs=1500")
                .start()) {
            long started = System.nanoTime();
            HttpResponse<String> answer = app.post("/produce",
                    EventsPipelineContract.userJson("down-1", "down-user", "down@example.com"));
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(new ObjectMapper().readTree(answer.body()).get("error").asText()).startsWith("service unavailable");
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(15_000);
            assertThat(app.get("/metrics").body()).doesNotContain("events_produced_total{type=\"UserCreated\"} 1.0");
            assertThat(app.rows("SELECT COUNT(*) AS n FROM processed_events").get(0).get("N")).isEqualTo(0L);
        }
    }
}
