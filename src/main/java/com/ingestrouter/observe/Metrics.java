package com.ingestrouter.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one naming scheme for the product's own metrics. Micrometer names map to Prometheus as
 * {@code messages.processed -> messages_processed_total}, {@code db.latency -> db_latency_seconds}.
 * The same registry backs Camel's route metrics, so /metrics shows both.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry;
    /** Counted once per message: a registry lookup by tags each time cost more than the count. */
    private final Map<Processed, Counter> processed = new ConcurrentHashMap<>();

    private record Processed(String pipeline, String type, String outcome) {
    }

    public Metrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void processed(String pipeline, String type, String outcome) {
        processed.computeIfAbsent(new Processed(pipeline, type, outcome), k -> Counter.builder("messages.processed")
                .description("Messages consumed, by outcome")
                .tags("pipeline", k.pipeline(), "type", k.type(), "outcome", k.outcome())
                .register(registry)).increment();
    }

    public void deadLettered(String pipeline) {
        deadLetterCounter(pipeline).increment();
    }

    /** Dashboards and alerts see 0, not "no data", for a pipeline that never dead-lettered. */
    public void declarePipeline(String pipeline) {
        deadLetterCounter(pipeline);
    }

    private Counter deadLetterCounter(String pipeline) {
        return Counter.builder("dlq.count").description("Messages written to the dead-letter store")
                .tag("pipeline", pipeline).register(registry);
    }

    /** {@code dlq_held}: messages held back unacked while the dead-letter store is down (DeadLetterWriter). */
    public void heldForDeadLetter(java.util.function.IntSupplier held) {
        io.micrometer.core.instrument.Gauge.builder("dlq.held", held::getAsInt)
                .description("Messages held unacked until the dead-letter store takes their letter").register(registry);
    }

    public void produced(String type) {
        Counter.builder("events.produced").description("Events accepted over HTTP and published")
                .tag("type", type).register(registry).increment();
    }

    /** One pull run ended ({@code ingestion_runs_total}); records stored by it ({@code ingestion_records_total}). */
    public void pullRun(String pipeline, String status, int records) {
        Counter.builder("ingestion.runs").description("Pull runs, by final status")
                .tags("pipeline", pipeline, "status", status).register(registry).increment();
        Counter.builder("ingestion.records").description("Items stored by pull runs")
                .tag("pipeline", pipeline).register(registry).increment(records);
    }

    public <T> T timeDb(String pipeline, String operation, Supplier<T> work) {
        return Timer.builder("db.latency").description("Time spent in database transactions")
                .tags("pipeline", pipeline, "operation", operation)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(work);
    }

    public void http(String method, String path, int status, long nanos) {
        Counter.builder("http.requests").tags("method", method, "path", path, "status", Integer.toString(status))
                .register(registry).increment();
        Timer.builder("http.latency").tags("method", method, "path", path)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    public String scrape() {
        return registry.scrape();
    }
}
