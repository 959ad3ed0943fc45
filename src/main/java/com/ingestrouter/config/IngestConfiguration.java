package com.ingestrouter.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.deadletter.DeadLetterAdmin;
import com.ingestrouter.deadletter.DeadLetterStore;
import com.ingestrouter.deadletter.DeadLetterWriter;
import com.ingestrouter.deadletter.JdbcDeadLetterStore;
import com.ingestrouter.deadletter.RedisDeadLetterStore;
import com.ingestrouter.errors.RetryWindow;
import com.ingestrouter.events.EventBatch;
import com.ingestrouter.events.EventParser;
import com.ingestrouter.events.EventPublished;
import com.ingestrouter.events.EventReads;
import com.ingestrouter.events.EventStore;
import com.ingestrouter.http.HttpErrors;
import com.ingestrouter.http.JsonRequestValidator;
import com.ingestrouter.http.OpenApiDocument;
import com.ingestrouter.http.PublicPortHttpEngine;
import com.ingestrouter.http.ResponseHeaderFilter;
import com.ingestrouter.http.ServerErrors;
import com.ingestrouter.observe.CamelCli;
import com.ingestrouter.observe.DependencyHealthCheck;
import com.ingestrouter.observe.HealthReport;
import com.ingestrouter.observe.HttpMetricsPolicy;
import com.ingestrouter.observe.Intake;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.observe.ProcessedMessages;
import com.ingestrouter.rabbit.RabbitBatchComponent;
import com.ingestrouter.queue.IngestQueueComponent;
import com.ingestrouter.queue.IngestTopicComponent;
import com.ingestrouter.pipeline.PipelineFiles;
import com.ingestrouter.pipeline.Pipelines;
import com.ingestrouter.sink.RecordStep;
import com.ingestrouter.batch.BatchRecords;
import com.ingestrouter.sql.Database;
import com.ingestrouter.validation.JsonValidator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * Wires what every pipeline shares, for the mode in use, after waiting for each dependency: the
 * database, the brokers, the dead-letter store, metrics, validation, HTTP answers, the building blocks.
 * Each pipeline's own beans sit with it ({@code <pipeline>/<Pipeline>Configuration}); a pipeline made of
 * blocks needs none.
 */
public final class IngestConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Mode mode = Mode.parse(settings.get("ingest.mode", "embedded"));
        PortInUse.requireFree("HTTP port", settings.get("camel.server.host", "0.0.0.0"), settings.getInt("camel.server.port"));
        if (Boolean.parseBoolean(settings.get("camel.management.enabled", "false").trim())) {
            PortInUse.requireFree("management port", settings.get("camel.management.host", "0.0.0.0"),
                    settings.getInt("camel.management.port"));
        }
        Registry registry = context.getRegistry();
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        List<DependencyCheck> dependencies = new ArrayList<>();
        DependencyWait wait = new DependencyWait(Duration.ofSeconds(settings.getInt("ingest.startup.timeout-seconds")));

        String url = settings.get("ingest.db.url", "");
        if (url.isBlank()) {
            url = settings.get("ingest.db.default-url", "");
        }
        Database db = new Database(url, settings.get("ingest.db.user", ""), settings.get("ingest.db.password", ""),
                settings.getInt("ingest.db.pool-size"));
        context.addService(db);
        DependencyCheck database = new DependencyCheck("database", redactUrl(url), db::ping);
        dependencies.add(database);
        java.nio.file.Path routesDir = settings.get("ingest.routes.dir", "").isBlank() ? null
                : java.nio.file.Path.of(settings.get("ingest.routes.dir"));
        // The waits (and the migration of a fresh database, 1.5-2.5 s) run beside each other and beside
        // the wiring below; no route starts before all are done (see DependencyWait).
        DependencyWait.Pending migrated = wait.inBackground(database, () -> {
            db.migrate();
            if (routesDir != null) {
                db.migrateUserPipelines(routesDir);
            }
        });
        context.addStartupListener(wait);

        DeadLetterStore deadLetters;
        KafkaAdmin kafka = null;
        DependencyCheck kafkaCheck = null;
        if (mode == Mode.BROKERS) {
            String redisUrl = settings.get("ingest.redis.url");
            RedisDeadLetterStore redis = new RedisDeadLetterStore(RedisDeadLetterStore.client(redisUrl), json);
            context.addService(redis);
            DependencyCheck redisCheck = new DependencyCheck("redis", redactUrl(redisUrl), redis::ping);
            wait.inBackground(redisCheck, () -> { });
            dependencies.add(redisCheck);
            deadLetters = redis;

            String rabbitUrl = settings.get("ingest.rabbitmq.url");
            CachingConnectionFactory rabbit = rabbitConnectionFactory(rabbitUrl);
            DependencyCheck rabbitCheck = new DependencyCheck("rabbitmq", redactUrl(rabbitUrl), () -> {
                if (!rabbit.createConnection().isOpen()) {
                    throw new IllegalStateException("connection closed");
                }
            });
            wait.inBackground(rabbitCheck, () -> { });
            dependencies.add(rabbitCheck);
            registry.bind("rabbitConnectionFactory", rabbit);
            registry.bind("rabbitmq-batch", new RabbitBatchComponent(rabbit));

            KafkaAdmin admin = new KafkaAdmin(settings.get("ingest.kafka.brokers"));
            kafka = admin;
            context.addService(admin);
            kafkaCheck = new DependencyCheck("kafka", admin.brokers(), admin::ping);
            // The topics (events' and any other ingest-topic source's) are created by the source's
            // endpoint, below, once this wait has succeeded.
            wait.inBackground(kafkaCheck, () -> { });
            dependencies.add(kafkaCheck);
        } else {
            deadLetters = new JdbcDeadLetterStore(db, json);
        }

        // One registry for Camel's route and JVM metrics and ours, so /metrics shows both.
        PrometheusMeterRegistry meters = registry.lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind("metricsRegistry", meters);
        }
        Metrics metrics = new Metrics(meters);
        for (String pipeline : settings.get("ingest.pipelines", "payments").split(",")) {
            metrics.declarePipeline(pipeline.trim());
        }
        ProcessedMessages processed = new ProcessedMessages(metrics, json);
        HttpErrors httpErrors = new HttpErrors(json);
        JsonValidator validator = new JsonValidator(json, settings.getLong("ingest.http.max-body-bytes"),
                routesDir == null ? null : routesDir.resolve("schemas"));

        registry.bind("objectMapper", json);
        registry.bind("database", db);
        registry.bind("metrics", metrics);
        registry.bind("processedMessages", processed);
        Intake intake = new Intake();
        registry.bind("intake", intake);
        registry.bind("httpErrors", httpErrors);
        registry.bind("responseHeaderFilter", new ResponseHeaderFilter());
        registry.bind("publicPortHttpEngine", new PublicPortHttpEngine(settings.getInt("camel.server.port")));
        DependencyHealthCheck.registerAll(context, dependencies);
        CamelCli.configure(context, Boolean.parseBoolean(settings.get("ingest.cli.enabled", "true").trim()));
        registry.bind("health", new HealthReport(context, httpErrors));
        registry.bind("deadLetterStore", deadLetters);
        registry.bind("deadLetterWriter", new DeadLetterWriter(deadLetters, metrics, processed,
                settings.getLong("ingest.retry.initial-delay-ms"), settings.getLong("ingest.retry.max-delay-ms")));
        registry.bind("jsonValidator", validator);
        // The REST DSL's request validation (415) and api document (/openapi.json), each found by type.
        registry.bind("jsonRequestValidator", new JsonRequestValidator(httpErrors));
        registry.bind("openApiDocument", new OpenApiDocument(json, validator));
        registry.bind("retryWindow", new RetryWindow(settings.getLong("ingest.retry.missing-parent-window-ms")));

        Pipelines pipelines = new Pipelines();
        registry.bind("deadLetterAdmin", new DeadLetterAdmin(deadLetters, context.createProducerTemplate(),
                pipeline -> context.getPropertiesComponent().resolveProperty("ingest." + pipeline + ".replay-uri")
                        .or(() -> pipelines.replayUri(pipeline)),
                pipeline -> context.getPropertiesComponent().resolveProperty("ingest." + pipeline + ".replay-id-header"),
                pipeline -> context.getPropertiesComponent().resolveProperty("ingest." + pipeline + ".replay-key-header")
                        .or(() -> pipelines.replayKeyHeader(pipeline)),
                settings.get("ingest.admin.token", ""), json));

        BatchRecords batchRecords = new BatchRecords(context.createProducerTemplate());

        // A pipeline's own beans are bound by its configuration (logs/LogsConfiguration,
        // posts/PostsConfiguration, ...), which App runs after this one.

        EventParser eventParser = new EventParser(validator, json);
        EventStore eventStore = new EventStore(db, metrics, Clock.systemUTC());
        registry.bind("eventParser", eventParser);
        registry.bind("eventStore", eventStore);
        registry.bind("eventBatch", new EventBatch(eventParser, eventStore, intake, processed, batchRecords));
        registry.bind("eventPublished", new EventPublished(metrics, httpErrors, settings.get("ingest.events.topic")));
        registry.bind("eventRecord", EventPublished.RECORD);
        registry.bind("eventReads", new EventReads(db, httpErrors));
        context.addRoutePolicyFactory(new HttpMetricsPolicy(metrics));

        // The building blocks of configured pipelines (kamelets/, routes/ingest-record.camel.yaml).
        int queueCapacity = settings.getInt("ingest.queue.capacity");
        registry.bind("ingest-queue", new IngestQueueComponent(mode == Mode.BROKERS, queueCapacity));
        KafkaAdmin admin = kafka;
        DependencyCheck kafkaUp = kafkaCheck;
        registry.bind("ingest-topic", new IngestTopicComponent(admin == null ? null : admin.brokers(),
                (topic, partitions) -> wait.inBackground(kafkaUp, () -> admin.ensureTopic(topic, partitions)), queueCapacity));
        registry.bind("recordStep", new RecordStep());
        PipelineFiles.TableChecks tables = new PipelineFiles(context).check(settings.get("camel.main.routes-include-pattern"),
                settings.get("camel.main.routes-exclude-pattern", ""),
                settings.get("camel.component.kamelet.location", "classpath:kamelets"), validator, metrics, pipelines);
        // The sinks' tables exist once the migrations ran: checked then, before any route starts.
        wait.inBackground(database, () -> {
            migrated.join();
            tables.against(db);
        });
        context.addStartupListener(new ServerErrors(httpErrors, settings.getInt("camel.server.port"),
                settings.getLong("ingest.http.max-body-bytes")));
    }

    /**
     * The AMQP URI spec reads {@code amqp://host:5672/} as the empty vhost, which RabbitMQ refuses; like
     * most tools we take an empty path to mean the default vhost "/".
     */
    static CachingConnectionFactory rabbitConnectionFactory(String url) {
        URI uri = URI.create(url);
        CachingConnectionFactory factory = new CachingConnectionFactory(uri.getHost(), uri.getPort() < 0 ? 5672 : uri.getPort());
        if (uri.getUserInfo() != null) {
            String[] credentials = uri.getUserInfo().split(":", 2);
            factory.setUsername(URLDecoder.decode(credentials[0], StandardCharsets.UTF_8));
            if (credentials.length > 1) {
                factory.setPassword(URLDecoder.decode(credentials[1], StandardCharsets.UTF_8));
            }
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        factory.setVirtualHost(path.isEmpty() ? "/" : URLDecoder.decode(path, StandardCharsets.UTF_8));
        // The client's default consumer pool has 2 x cores threads: with more consumers than that
        // (INGEST_PAYMENTS_CONSUMERS + INGEST_LOGS_CONSUMERS) their deliveries queue for a thread.
        factory.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(daemonThreads("rabbitmq-consumer")));
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setConnectionNameStrategy(cf -> "ingest-router");
        return factory;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Credentials in a URL stay out of logs and /health. */
    static String redactUrl(String url) {
        return com.ingestrouter.observe.Redaction.redact(url);
    }

    /** Reads resolved property values (env overrides already applied by the placeholders). */
    static final class Settings {
        private final CamelContext context;

        Settings(CamelContext context) {
            this.context = context;
        }

        String get(String key) {
            return context.getPropertiesComponent().resolveProperty(key)
                    .orElseThrow(() -> new IllegalStateException("missing property " + key));
        }

        String get(String key, String fallback) {
            return context.getPropertiesComponent().resolveProperty(key).orElse(fallback);
        }

        int getInt(String key) {
            return Integer.parseInt(get(key).trim());
        }

        long getLong(String key) {
            return Long.parseLong(get(key).trim());
        }
    }
}
