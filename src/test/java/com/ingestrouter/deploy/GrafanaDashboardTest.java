package com.ingestrouter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.ingestrouter.config.Mode;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.support.RunningApp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The committed dashboard points at the provisioned datasource and queries metrics the app really exports. */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/ingest-router.json");
    private static final Path DATASOURCE = Path.of("deploy/grafana/provisioning/datasources/prometheus.yml");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** PromQL functions and the label names the queries group by. */
    private static final Set<String> NOT_METRICS = Set.of("sum", "max", "by", "rate", "increase", "histogram_quantile",
            "or", "vector", "pipeline", "outcome", "le", "client_id", "topic", "path", "status", "routeId", "eventType");

    @Test
    void everyPanelQueriesTheProvisionedPrometheus() throws IOException {
        String uid = new ObjectMapper(new YAMLFactory()).readTree(DATASOURCE.toFile()).at("/datasources/0/uid").asText();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo(uid);
            assertThat(panel.path("targets")).isNotEmpty()
                    .allSatisfy(target -> assertThat(target.at("/datasource/uid").asText()).isEqualTo(uid));
        });
    }

    /** Scraped from a running app (embedded mode), so Camel's own route metrics are there as well as ours. */
    @Test
    void queriedMetricsAreOnesTheAppExports() throws IOException {
        String scrape;
        try (RunningApp app = RunningApp.builder(Mode.EMBEDDED).start()) {
            Metrics metrics = app.context().getRegistry().lookupByNameAndType("metrics", Metrics.class);
            // Counters that exist only once their event happened: a pull run and a dead letter.
            metrics.pullRun("posts", "success", 1);
            metrics.deadLettered("payments");
            assertThat(app.post("/payments", "{\"user_id\": \"x\"}").statusCode()).isEqualTo(400);
            assertThat(app.post("/payments", "{\"user_id\": 1, \"payment_id\": 1, \"deposit_amount\": 1}").statusCode())
                    .isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> app.get("/metrics").body().contains("messages_processed_total{"));
            scrape = app.get("/metrics").body();
        }

        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = IDENTIFIER.matcher(target.path("expr").asText().replaceAll("\"[^\"]*\"", "")
                        .replaceAll("\\[[0-9]+[smhd]]", ""));
                while (m.find()) {
                    if (!NOT_METRICS.contains(m.group())) {
                        queried.add(m.group());
                    }
                }
            }
            // The Kafka client binder is not registered yet; its panel must say so.
            if (panel.toString().contains("kafka_consumer_")) {
                assertThat(panel.path("description").asText()).contains("binder");
            }
        }
        assertThat(queried).contains("messages_processed_total", "dlq_count_total", "db_latency_seconds_bucket",
                "http_requests_total", "camel_exchanges_failed_total", "camel_exchanges_failures_handled_total",
                "ingestion_runs_total");
        assertThat(queried).filteredOn(name -> !name.startsWith("kafka_consumer_"))
                .allSatisfy(name -> assertThat(scrape).contains(name + "{"));
    }
}
