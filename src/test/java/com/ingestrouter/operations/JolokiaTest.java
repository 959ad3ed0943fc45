package com.ingestrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.config.Mode;
import com.ingestrouter.support.RunningApp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What Hawtio asks Jolokia for: the CamelContext, every route with its id and statistics, the route model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JolokiaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RunningApp app;

    @BeforeAll
    void start() {
        app = RunningApp.builder(Mode.EMBEDDED).start();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void camelContextAndEveryRouteWithStatisticsAreVisible() throws Exception {
        app.post("/payments", "{\"user_id\": 1, \"payment_id\": 77, \"deposit_amount\": 1}");
        JsonNode routes = jolokia("/read/org.apache.camel:context=ingest-router,type=routes,name=*/ExchangesTotal");
        assertThat(routes.get("status").asInt()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        routes.get("value").fieldNames().forEachRemaining(names::add);
        assertThat(names).anyMatch(n -> n.contains("name=\"payments.consume\""))
                .anyMatch(n -> n.contains("name=\"payments.http\""))
                .anyMatch(n -> n.contains("name=\"operations.health\""));

        JsonNode context = jolokia("/read/org.apache.camel:context=ingest-router,type=context,name=%22ingest-router%22/State");
        assertThat(context.get("value").asText()).isEqualTo("Started");
    }

    @Test
    void routeDiagramSourceCanBeDumped() throws Exception {
        JsonNode dump = jolokia("/exec/org.apache.camel:context=ingest-router,type=context,name=%22ingest-router%22/dumpRoutesAsXml()");
        assertThat(dump.get("status").asInt()).isEqualTo(200);
        assertThat(dump.get("value").asText()).contains("id=\"payments.consume\"");
    }

    @Test
    void jvmDiagnosticCommandsAreRefused() throws Exception {
        JsonNode denied = jolokia("/exec/com.sun.management:type=DiagnosticCommand/gcClassHistogram(%5BLjava.lang.String;)/");
        assertThat(denied.get("status").asInt()).isEqualTo(403);
    }

    private JsonNode jolokia(String path) throws Exception {
        return JSON.readTree(app.management("/observe/jolokia" + path).body());
    }
}
