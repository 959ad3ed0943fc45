package com.ingestrouter.shipments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shipments example embedded, as {@code INGEST_ROUTES_DIR=examples/shipments java -jar} runs it: H2
 * and the in-JVM queue, dead letters in the dead_letters table. And the point of it: no Java names it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShipmentsEmbeddedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningApp app;

    @BeforeAll
    void start() {
        app = RunningApp.builder(Mode.EMBEDDED).routesDirectory(ShipmentsExampleContract.EXAMPLE, false).start();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void postedShipmentsAreUpsertedAndARefusedOneIsDeadLetteredInTheTable() throws Exception {
        assertThat(app.post("/shipments", shipment("S-1", "created", "2026-12-01T10:00:00Z")).statusCode()).isEqualTo(202);
        assertThat(app.post("/shipments", shipment("S-1", "delivered", "2026-12-01T16:00:00Z")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(app.rows("SELECT shipment_id, status FROM shipments"))
                        .containsExactly(Map.of("SHIPMENT_ID", "S-1", "STATUS", "delivered")));

        // Another producer on the in-JVM queue, around the HTTP edge: refused by the database (too long).
        String refused = "{\"shipmentId\":\"S-2\",\"orderId\":\"O-2\",\"carrier\":\"" + "x".repeat(90)
                + "\",\"status\":\"created\",\"updatedAt\":\"2026-12-01T10:00:00Z\"}";
        app.context().createProducerTemplate().sendBody("ingest-queue:shipments", refused);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !app.rows("SELECT envelope FROM dead_letters WHERE pipeline = 'shipments'").isEmpty());
        JsonNode envelope = JSON.readTree(String.valueOf(
                app.rows("SELECT envelope FROM dead_letters WHERE pipeline = 'shipments'").get(0).get("ENVELOPE")));
        assertThat(envelope.get("payload").asText()).isEqualTo(refused);
        assertThat(envelope.get("eventId").asText()).isEqualTo("S-2");
        assertThat(envelope.get("error").get("type").asText()).isEqualTo("PermanentFailure");
    }

    @Test
    void noJavaSourceNamesShipments() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<Path> naming = files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f).toLowerCase(java.util.Locale.ROOT).contains("shipment");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(naming).isEmpty();
        }
    }

    private static String shipment(String id, String status, String at) {
        return "{\"shipmentId\":\"" + id + "\",\"orderId\":\"O-1\",\"status\":\"" + status + "\",\"updatedAt\":\"" + at + "\"}";
    }
}
