package com.ingestrouter.pipeline;

import com.ingestrouter.config.ShadedJar;
import com.ingestrouter.observe.Metrics;
import com.ingestrouter.queue.IngestQueueComponent;
import com.ingestrouter.queue.IngestTopicComponent;
import com.ingestrouter.sink.SinkSpec;
import com.ingestrouter.sql.Database;
import com.ingestrouter.validation.JsonValidator;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceLoader;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Checks every use of a building block (a {@code kamelet:} endpoint) in the route files before any
 * message is read, and refuses start-up with the file, the line and the reason: an unknown block or
 * parameter, a missing required one, a schema that is missing or does not parse, a sink whose table or
 * columns do not exist. Kamelets alone would say some of this later, without a line, or not at all
 * (an unknown parameter is silently ignored). It also registers each queue-sourced pipeline: its
 * dead-letter counter exists from start-up and its dead letters replay to its queue.
 */
public final class PipelineFiles {
    /** The source blocks are components (see IngestQueueComponent), checked like kamelets. */
    static final String QUEUE_SOURCE = "ingest-queue";
    static final String TOPIC_SOURCE = "ingest-topic";
    static final String VALIDATE = "ingest-json-validate-action";
    static final String SQL_SINK = "ingest-sql-sink";

    /** One block used in a route file. */
    public record BlockUse(String file, int line, String kamelet, Map<String, String> parameters) {
        String where() {
            return file + ", line " + line + ": " + kamelet;
        }
    }

    /** A kamelet's parameters as its definition declares them. */
    public record BlockDefinition(String name, Set<String> parameters, Set<String> required, Map<String, String> defaults) {
    }

    private final CamelContext context;

    public PipelineFiles(CamelContext context) {
        this.context = context;
    }

    /**
     * Every check that needs no database, at once; throws with every problem found, one per line. The
     * tables the sinks name are checked by the returned step, once the migrations have run: start-up
     * runs it before any route starts, while Camel loads the routes (waiting for the migrations here
     * cost about 1.5 s of the time to the first row).
     */
    public TableChecks check(String includes, String excludes, String kameletLocations, JsonValidator validator,
            Metrics metrics, Pipelines pipelines) throws Exception {
        Map<String, BlockDefinition> blocks = definitions(kameletLocations);
        blocks.put(QUEUE_SOURCE, queueSource());
        blocks.put(TOPIC_SOURCE, topicSource());
        List<String> problems = new ArrayList<>();
        List<TableUse> tables = new ArrayList<>();
        for (BlockUse use : uses(includes, excludes)) {
            BlockDefinition definition = blocks.get(use.kamelet());
            if (definition == null) {
                problems.add(use.where() + ": no such block (known: " + String.join(", ", blocks.keySet()) + ")");
                continue;
            }
            List<String> found = problems(use, definition);
            if (found.isEmpty()) {
                found = semantics(use, withDefaults(use, definition), validator, metrics, pipelines, tables);
            }
            found.forEach(p -> problems.add(use.where() + ": " + p));
        }
        refuseIfAny(problems);
        return new TableChecks(List.copyOf(tables));
    }

    private static void refuseIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new PipelineRefused("pipeline files refused:\n  " + String.join("\n  ", problems));
        }
    }

    /** A table a block writes, with the columns it names. */
    record TableUse(BlockUse use, String table, List<String> columns) {
    }

    /** The sinks' tables and columns, checked against the migrated database. */
    public static final class TableChecks {
        private final List<TableUse> tables;

        TableChecks(List<TableUse> tables) {
            this.tables = tables;
        }

        /** Throws with every table or column that is not in the database. */
        public void against(Database db) {
            List<String> problems = new ArrayList<>();
            for (TableUse t : tables) {
                try {
                    tableHasColumns(db, t.table(), t.columns());
                } catch (IllegalArgumentException e) {
                    problems.add(t.use().where() + ": " + e.getMessage());
                }
            }
            refuseIfAny(problems);
        }
    }

    /** The source block's parameters: the component's options, plus the queue named in its path. */
    public static BlockDefinition queueSource() {
        Set<String> parameters = new LinkedHashSet<>(IngestQueueComponent.OPTIONS.keySet());
        parameters.add("queue");
        return new BlockDefinition(QUEUE_SOURCE, parameters, Set.of("pipeline", "queue"), Map.of());
    }

    /** The Kafka source block's parameters: the component's options, plus the topic named in its path. */
    public static BlockDefinition topicSource() {
        Set<String> parameters = new LinkedHashSet<>(IngestTopicComponent.OPTIONS.keySet());
        parameters.add("topic");
        return new BlockDefinition(TOPIC_SOURCE, parameters, Set.of("pipeline", "topic"), Map.of());
    }

    /** Unknown and missing parameters. */
    public static List<String> problems(BlockUse use, BlockDefinition definition) {
        List<String> problems = new ArrayList<>();
        for (String name : use.parameters().keySet()) {
            if (!definition.parameters().contains(name)) {
                problems.add("unknown parameter '" + name + "' (parameters: " + String.join(", ", definition.parameters()) + ")");
            }
        }
        for (String name : definition.required()) {
            String value = use.parameters().get(name);
            if (value == null || value.isBlank()) {
                problems.add("missing required parameter '" + name + "'");
            }
        }
        return problems;
    }

    private Map<String, String> withDefaults(BlockUse use, BlockDefinition definition) {
        Map<String, String> values = new LinkedHashMap<>(definition.defaults());
        use.parameters().forEach((k, v) -> values.put(k, context.resolvePropertyPlaceholders(v)));
        return values;
    }

    private static List<String> semantics(BlockUse use, Map<String, String> p, JsonValidator validator,
            Metrics metrics, Pipelines pipelines, List<TableUse> tables) {
        try {
            switch (use.kamelet()) {
                case VALIDATE -> validator.schema(p.get("schema"));
                case SQL_SINK -> {
                    SinkSpec spec = SinkSpec.parse(p.get("table"), p.get("key"), p.get("columns"), p.get("mode"), p.get("refusedTable"));
                    tables.add(new TableUse(use, spec.table(), spec.columnNames()));
                    if (spec.refusedTable() != null) {
                        tables.add(new TableUse(use, spec.refusedTable(), spec.columnNames()));
                    }
                }
                case QUEUE_SOURCE, TOPIC_SOURCE -> {
                    String pipeline = p.get("pipeline");
                    if (!pipeline.matches("[a-z][a-z0-9_-]{0,63}")) {
                        return List.of("pipeline '" + pipeline + "' must be lower-case letters, digits, '-' or '_'");
                    }
                    if (use.kamelet().equals(QUEUE_SOURCE)) {
                        // A replay publishes as the pipeline's HTTP ingress does: by id, when the queue is partitioned.
                        String partitions = p.get("partitions");
                        pipelines.register(pipeline, "ingest-queue:" + p.get("queue")
                                + (partitions == null ? "" : "?partitions=" + partitions));
                    } else {
                        pipelines.register(pipeline, "ingest-topic:" + p.get("topic"), "kafka.KEY");
                    }
                    metrics.declarePipeline(pipeline);
                }
                default -> {
                }
            }
            return List.of();
        } catch (RuntimeException e) {
            return List.of(String.valueOf(e.getMessage()));
        }
    }

    /** The table and every column must exist: an empty SELECT names them all (identifiers already checked). */
    private static void tableHasColumns(Database db, String table, List<String> columns) {
        try {
            db.jdbc().getJdbcTemplate().query("SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE 1 = 0", rs -> {
            });
        } catch (org.springframework.dao.DataAccessException e) {
            java.sql.SQLException sql = com.ingestrouter.errors.Causes.find(e, java.sql.SQLException.class);
            throw new IllegalArgumentException("table " + table + " with columns " + columns + " is not in the database: "
                    + (sql == null ? e.getMessage() : sql.getMessage()));
        }
    }

    /** Every block use in the route files matched by the include pattern, minus the excluded ones. */
    public List<BlockUse> uses(String includes, String excludes) throws Exception {
        Set<String> excluded = new LinkedHashSet<>();
        if (excludes != null && !excludes.isBlank()) {
            for (String pattern : excludes.split(",")) {
                for (Resource r : resolver().findResources(pattern.trim())) {
                    excluded.add(r.getLocation());
                }
            }
        }
        List<BlockUse> uses = new ArrayList<>();
        for (String pattern : includes.split(",")) {
            for (Resource resource : resolver().findResources(pattern.trim())) {
                if (!excluded.contains(resource.getLocation())) {
                    try (InputStream in = resource.getInputStream()) {
                        uses.addAll(usesIn(resource.getLocation(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return uses;
    }

    /** The block uses in one route file's text: {@code uri: kamelet:NAME?...} with its {@code parameters}. */
    public static List<BlockUse> usesIn(String file, String yaml) {
        List<BlockUse> uses = new ArrayList<>();
        Composer composer = new Composer(LoadSettings.builder().build(),
                new ParserImpl(LoadSettings.builder().build(), new StreamReader(LoadSettings.builder().build(), yaml)));
        while (composer.hasNext()) {
            walk(file, composer.next(), uses, false);
        }
        return uses;
    }

    /** {@code consuming}: this node is the value of a {@code from}, where ingest-queue is the source block. */
    private static void walk(String file, Node node, List<BlockUse> uses, boolean consuming) {
        if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(n -> walk(file, n, uses, false));
        } else if (node instanceof MappingNode map) {
            Node uri = null;
            Node parameters = null;
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
                if (key.equals("uri") && t.getValueNode() instanceof ScalarNode) {
                    uri = t.getValueNode();
                } else if (key.equals("parameters")) {
                    parameters = t.getValueNode();
                }
            }
            String text = uri == null ? "" : ((ScalarNode) uri).getValue();
            if (text.startsWith("kamelet:")) {
                uses.add(use(file, (ScalarNode) uri, parameters, "kamelet:"));
            } else if ((text.startsWith(QUEUE_SOURCE + ":") || text.startsWith(TOPIC_SOURCE + ":")) && consuming) {
                uses.add(use(file, (ScalarNode) uri, parameters, ""));
            }
            for (NodeTuple t : map.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
                walk(file, t.getValueNode(), uses, key.equals("from"));
            }
        }
    }

    private static BlockUse use(String file, ScalarNode uri, Node parameters, String scheme) {
        String text = uri.getValue().substring(scheme.length());
        int q = text.indexOf('?');
        String path = q < 0 ? text : text.substring(0, q);
        String name;
        if (scheme.isEmpty()) {
            name = path.substring(0, path.indexOf(':'));
        } else {
            int slash = path.indexOf('/');
            name = slash < 0 ? path : path.substring(0, slash);
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : text.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (!pair.isEmpty()) {
                    params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        if (parameters instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    params.put(k.getValue(), t.getValueNode() instanceof ScalarNode v ? v.getValue() : "");
                }
            }
        }
        if (scheme.isEmpty()) {
            params.put(name.equals(QUEUE_SOURCE) ? "queue" : "topic", path.substring(name.length() + 1));
        }
        int line = uri.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        return new BlockUse(file, line, name, params);
    }

    /** The definitions of the kamelets at these locations (comma-separated, as camel.component.kamelet.location). */
    @SuppressWarnings("unchecked")
    public Map<String, BlockDefinition> definitions(String locations) throws Exception {
        Map<String, BlockDefinition> blocks = new LinkedHashMap<>();
        for (String location : locations.split(",")) {
            String dir = location.trim().replaceAll("/+$", "");
            for (Resource resource : kamelets(dir)) {
                try (InputStream in = resource.getInputStream()) {
                    Map<String, Object> kamelet = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
                    String name = (String) ((Map<String, Object>) kamelet.get("metadata")).get("name");
                    Map<String, Object> definition = (Map<String, Object>) ((Map<String, Object>) kamelet.get("spec")).get("definition");
                    Map<String, Object> properties = (Map<String, Object>) definition.getOrDefault("properties", Map.of());
                    Map<String, String> defaults = new LinkedHashMap<>();
                    properties.forEach((k, v) -> {
                        Object d = v instanceof Map<?, ?> m ? m.get("default") : null;
                        if (d != null) {
                            defaults.put(k, String.valueOf(d));
                        }
                    });
                    blocks.putIfAbsent(name, new BlockDefinition(name, properties.keySet(),
                            Set.copyOf((List<String>) definition.getOrDefault("required", List.of())), defaults));
                }
            }
        }
        return blocks;
    }

    /** The kamelet files of a location; the shipped ones are listed from the jar (see ShadedJar). */
    private Collection<Resource> kamelets(String dir) throws Exception {
        if (dir.startsWith("classpath:")) {
            Optional<List<String>> listed = ShadedJar.entries(dir.substring("classpath:".length()), ".kamelet.yaml");
            if (listed.isPresent()) {
                ResourceLoader loader = PluginHelper.getResourceLoader(context);
                List<Resource> resources = new ArrayList<>();
                for (String name : listed.get()) {
                    resources.add(loader.resolveResource("classpath:" + name));
                }
                return resources;
            }
        }
        return resolver().findResources(dir + "/*.kamelet.yaml");
    }

    private PackageScanResourceResolver resolver() {
        return PluginHelper.getPackageScanResourceResolver(context);
    }
}
