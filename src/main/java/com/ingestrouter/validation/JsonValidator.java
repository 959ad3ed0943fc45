package com.ingestrouter.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ingestrouter.errors.InvalidMessageException;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.ingestrouter.observe.MessageKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.camel.Exchange;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses JSON and checks it against the JSON Schemas under {@code schemas/} on the classpath. Every
 * pipeline validates here, so a bad message always fails the same way: an InvalidMessageException
 * naming the first offending field.
 */
public final class JsonValidator {
    /** Longest number accepted, in digits written out (Jackson's default limit on a number's text). */
    static final int MAX_DIGITS = 1000;
    private final ObjectMapper json;
    private final ObjectReader reader;
    private final long maxBytes;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH).build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final java.nio.file.Path schemaDir;

    public JsonValidator(ObjectMapper json, long maxBytes) {
        this(json, maxBytes, null);
    }

    /** @param schemaDir where an operator's pipelines keep their schemas (looked at before the classpath), or null */
    public JsonValidator(ObjectMapper json, long maxBytes, java.nio.file.Path schemaDir) {
        this.json = json;
        this.reader = strict(json);
        this.maxBytes = maxBytes;
        this.schemaDir = schemaDir;
    }

    /**
     * First step of every HTTP ingress: the body's text, strictly UTF-8. (A Content-Type other than JSON
     * was already refused with 415 by the REST DSL's {@code consumes}.)
     */
    public String requestBody(Exchange exchange) {
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        return bytes == null ? null : utf8(bytes);
    }

    /**
     * JSON is UTF-8 (RFC 8259). Decoding leniently would replace bad bytes with U+FFFD and store text
     * nobody sent, so they are refused instead.
     */
    public static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException(null, "body is not valid UTF-8");
        }
    }

    /**
     * Parses the body of a consumed message (captured by {@link com.ingestrouter.observe.Intake}): bytes
     * that were not UTF-8 are refused, as at the HTTP edge, and dead-lettered with their exact bytes.
     */
    public JsonNode parseObject(Exchange exchange) {
        return parseObject(exchange, 0);
    }

    /** As {@link #parseObject(Exchange)}, within {@code limit} bytes (0: the application's limit). */
    public JsonNode parseObject(Exchange exchange, long limit) {
        if (exchange.getProperty(MessageKeys.PAYLOAD_BASE64) != null) {
            throw new InvalidMessageException(null, "body is not valid UTF-8");
        }
        return parseObject(exchange.getMessage().getBody(String.class), limit);
    }

    /**
     * A duplicate key or text after the object would let two readers of the same message see two
     * different records (Jackson keeps the last copy, others the first; the stored payload keeps both),
     * so both are refused as invalid JSON.
     */
    private static ObjectReader strict(ObjectMapper json) {
        return json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Parses a body that must be a JSON object, within the size limit. */
    public JsonNode parseObject(String body) {
        return parseObject(body, maxBytes);
    }

    /** Same, within a limit of its own (a pipeline's record limit); 0 means the application's. */
    public JsonNode parseObject(String body, long limit) {
        long max = limit > 0 ? limit : maxBytes;
        if (body == null || body.isBlank()) {
            throw new InvalidMessageException(null, "body is empty");
        }
        // A char is at most 3 UTF-8 bytes: only a body that could be too long is encoded to count.
        if ((long) body.length() * 3 > max && body.getBytes(StandardCharsets.UTF_8).length > max) {
            throw new InvalidMessageException(null, "body exceeds " + max + " bytes");
        }
        JsonNode node;
        try {
            node = reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException(null, "invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidMessageException(null, "body must be a JSON object");
        }
        return node;
    }

    /**
     * Jackson bounds a number's text (1000 characters), not its exponent: {@code 1e999999999} is eleven
     * characters, and the first BigDecimal division on it (the schema's multipleOf, a column's scale)
     * overflows or runs for minutes. A number that would not fit in {@value #MAX_DIGITS} digits written
     * out is refused here, before anything computes with it; no column of ours holds one anyway.
     */
    public static void checkNumbers(JsonNode root) {
        // One walk; a node's path is kept as a link to its parent's and written out only for a refusal
        // (a string per field was most of this check's cost on the consumers).
        Deque<Located> pending = new ArrayDeque<>();
        pending.push(new Located(root, null, null, -1));
        while (!pending.isEmpty()) {
            Located next = pending.pop();
            JsonNode node = next.node();
            if (node.isBigDecimal()) {
                BigDecimal value = node.decimalValue();
                long integerDigits = (long) value.precision() - value.scale();
                if (value.scale() > MAX_DIGITS || integerDigits > MAX_DIGITS) {
                    String path = next.path();
                    throw new InvalidMessageException(path.isEmpty() ? null : path,
                            "number out of range: more than " + MAX_DIGITS + " digits written out");
                }
            } else if (node.isObject()) {
                List<Located> children = new ArrayList<>(node.size());
                node.fields().forEachRemaining(f -> children.add(new Located(f.getValue(), next, f.getKey(), -1)));
                // Reversed onto the stack, so the first offending field in document order is reported.
                for (int i = children.size() - 1; i >= 0; i--) {
                    pending.push(children.get(i));
                }
            } else if (node.isArray()) {
                for (int i = node.size() - 1; i >= 0; i--) {
                    pending.push(new Located(node.get(i), next, null, i));
                }
            }
        }
    }

    /** A node and where it sits: its parent and its field name or array index. */
    private record Located(JsonNode node, Located parent, String field, int index) {
        String path() {
            if (parent == null) {
                return "";
            }
            String up = parent.path();
            if (field == null) {
                return up + "[" + index + "]";
            }
            return up.isEmpty() ? field : up + "." + field;
        }
    }

    /** Validates against {@code schemas/<name>.json} (numbers bounded first); throws on the first problem. */
    public void validate(String schemaName, JsonNode node) {
        checkNumbers(node);
        Set<ValidationMessage> problems = schema(schemaName).validate(node);
        if (!problems.isEmpty()) {
            ValidationMessage first = problems.iterator().next();
            throw new InvalidMessageException(field(first), describe(first));
        }
    }

    private static String field(ValidationMessage message) {
        String path = message.getInstanceLocation().toString();
        String base = path.startsWith("$.") ? path.substring(2) : path.equals("$") ? "" : path;
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            return base.isEmpty() ? message.getProperty() : base + "." + message.getProperty();
        }
        return base.isEmpty() ? null : base;
    }

    private static String describe(ValidationMessage message) {
        if ("multipleOf".equals(message.getType())) {
            // networknt prints the divisor rounded ("multiple of 0"); say what the schema means.
            return "must be a multiple of " + message.getSchemaNode().decimalValue().stripTrailingZeros().toPlainString();
        }
        String text = message.getMessage();
        // networknt prefixes the JSON path ("$.user_id: ..."); the field is reported separately.
        int colon = text.indexOf(": ");
        return colon > 0 && text.startsWith("$") ? text.substring(colon + 2) : text;
    }

    /**
     * Loads and compiles a schema, so a pipeline can be checked at start-up: a schema that is missing
     * or does not parse fails here, not on the first message.
     */
    public JsonSchema schema(String name) {
        return schemas.computeIfAbsent(name, n -> {
            String file = n.endsWith(".json") ? n : n + ".json";
            try (InputStream in = open(file)) {
                if (in == null) {
                    throw new IllegalArgumentException("no schema schemas/" + file
                            + (schemaDir == null ? " on the classpath" : " in " + schemaDir + " or on the classpath"));
                }
                JsonSchema schema = factory.getSchema(json.readTree(in), config);
                schema.initializeValidators();
                return schema;
            } catch (IOException e) {
                throw new IllegalArgumentException("schema schemas/" + file + " is not valid JSON: " + e.getMessage(), e);
            }
        });
    }

    private InputStream open(String file) throws IOException {
        if (schemaDir != null) {
            java.nio.file.Path path = schemaDir.resolve(file).normalize();
            if (path.startsWith(schemaDir) && java.nio.file.Files.isRegularFile(path)) {
                return java.nio.file.Files.newInputStream(path);
            }
        }
        return JsonValidator.class.getResourceAsStream("/schemas/" + file);
    }
}
