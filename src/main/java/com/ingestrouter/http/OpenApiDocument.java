package com.ingestrouter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ingestrouter.validation.JsonValidator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.ParamDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.openapi.OpenApiHelper;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.FileUtil;

/**
 * {@code GET /openapi.json}: camel-openapi-java's document of the REST DSL (paths, methods, parameters,
 * status codes), with the bodies' schemas taken from the JSON Schemas under {@code schemas/} (the
 * routes directory's first, as for validation), so no schema is written twice:
 * <ul>
 *   <li>a request body: the verb's {@code body} param names its schema in {@code dataType}
 *       ({@code payments/payment}; several, comma-separated, are {@code oneOf});</li>
 *   <li>the answers of route R: {@code schemas/http/R.json} (else that of R's family,
 *       {@code operations.health} for {@code operations.health-ready}) for its 2xx codes, or for the
 *       codes its {@code x-status} lists; any other 4xx/5xx is {@code schemas/http/error.json}.</li>
 * </ul>
 * camel-openapi-java takes models only from Java classes, and our bodies are JSON Schemas, hence this
 * step after its own. Bound in the registry, it is the one api processor factory the rest-api
 * endpoint uses.
 */
public final class OpenApiDocument implements RestApiProcessorFactory {
    private static final String REF = "#/components/schemas/";
    /** In an answer schema: the status codes it describes (default: the 2xx ones). */
    private static final String STATUS = "x-status";
    private static final String NAME = "x-schema-name";
    private final ObjectMapper json;
    private final JsonValidator schemas;
    private final RestApiProcessorFactory generator = new OpenApiRestApiProcessorFactory();

    public OpenApiDocument(ObjectMapper json, JsonValidator schemas) {
        this.json = json;
        this.schemas = schemas;
    }

    @Override
    public Processor createApiProcessor(CamelContext context, String contextPath, RestConfiguration configuration,
            Map<String, Object> parameters) throws Exception {
        Processor generated = generator.createApiProcessor(context, contextPath, configuration, parameters);
        return new Processor() {
            private volatile String document;

            @Override
            public void process(Exchange exchange) throws Exception {
                if (document == null) {
                    synchronized (this) {
                        if (document == null) {
                            document = render(context, generated);
                        }
                    }
                }
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                exchange.getMessage().setBody(document);
            }
        };
    }

    /** Built at the first request, when every route file (and so every rest) is loaded. */
    private String render(CamelContext context, Processor generated) throws Exception {
        ServiceHelper.startService(generated);
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(Exchange.HTTP_PATH, "/openapi.json");
        generated.process(exchange);
        ObjectNode doc = (ObjectNode) json.readTree(exchange.getMessage().getBody(String.class));
        addSchemas(doc, ((ModelCamelContext) context).getRestDefinitions());
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    void addSchemas(ObjectNode doc, List<RestDefinition> rests) {
        // Relative: the document is served by the server it describes, whatever its host name.
        doc.putArray("servers").addObject().put("url", "/");
        ObjectNode components = object(object(doc, "components"), "schemas");
        for (RestDefinition rest : rests) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = OpenApiHelper.buildUrl(FileUtil.stripLeadingSeparator(rest.getPath()), verb.getPath());
                JsonNode operation = doc.path("paths").path(path).path(verb.asVerb());
                if (operation instanceof ObjectNode op) {
                    if (verb.getRouteId() != null) {
                        op.put("operationId", verb.getRouteId());
                    }
                    requestBody(op, verb, components);
                    answers(op, verb.getRouteId(), components);
                    String produces = verb.getProduces() != null ? verb.getProduces() : rest.getProduces();
                    if (produces != null && !produces.contains("json")) {
                        text(op, produces);
                    }
                }
            }
        }
    }

    private void requestBody(ObjectNode op, VerbDefinition verb, ObjectNode components) {
        for (ParamDefinition param : verb.getParams()) {
            if (param.getType() != RestParamType.body || param.getDataType() == null || !op.has("requestBody")) {
                continue;
            }
            List<JsonNode> refs = new ArrayList<>();
            for (String name : param.getDataType().split(",")) {
                refs.add(ref(name.trim(), components).orElseThrow(() -> new IllegalArgumentException(
                        "rest " + verb.getRouteId() + ": no schema schemas/" + name.trim() + ".json for its body")));
            }
            JsonNode schema = refs.size() == 1 ? refs.get(0) : json.createObjectNode().set("oneOf", json.valueToTree(refs));
            ObjectNode content = object((ObjectNode) op.get("requestBody"), "content");
            for (Iterator<Map.Entry<String, JsonNode>> media = content.fields(); media.hasNext(); ) {
                ((ObjectNode) media.next().getValue()).set("schema", schema);
            }
        }
    }

    private void answers(ObjectNode op, String routeId, ObjectNode components) {
        if (routeId == null || !(op.get("responses") instanceof ObjectNode responses)) {
            return;
        }
        // operations.health-ready falls back to operations.health: one schema for a family of routes.
        Optional<JsonNode> own = document("http/" + routeId)
                .or(() -> document("http/" + routeId.replaceFirst("-[^.-]+$", "")));
        for (Iterator<Map.Entry<String, JsonNode>> codes = responses.fields(); codes.hasNext(); ) {
            Map.Entry<String, JsonNode> answer = codes.next();
            int code = Integer.parseInt(answer.getKey());
            Optional<String> name = own.filter(schema -> describes(schema, code)).map(schema -> schema.get(NAME).asText());
            if (name.isEmpty() && code >= 400) {
                name = Optional.of("http/error");
            }
            Optional<JsonNode> schema = name.flatMap(n -> ref(n, components));
            if (schema.isPresent()) {
                ObjectNode content = object((ObjectNode) answer.getValue(), "content");
                if (content.isEmpty()) {
                    content.putObject("application/json");
                }
                for (Iterator<Map.Entry<String, JsonNode>> media = content.fields(); media.hasNext(); ) {
                    Map.Entry<String, JsonNode> type = media.next();
                    if (type.getKey().contains("json")) {
                        ((ObjectNode) type.getValue()).set("schema", schema.get());
                    }
                }
            }
        }
    }

    /** An answer that is not JSON (the Prometheus text) is a string of its media type. */
    private void text(ObjectNode op, String produces) {
        for (JsonNode answer : op.path("responses")) {
            if (answer instanceof ObjectNode response && object(response, "content").isEmpty()) {
                object(object(response, "content"), produces).putObject("schema").put("type", "string");
            }
        }
    }

    /** A route's answer schema describes its 2xx answers, or the codes its {@code x-status} lists. */
    private static boolean describes(JsonNode schema, int code) {
        JsonNode listed = schema.get(STATUS);
        if (listed == null) {
            return code >= 200 && code < 300;
        }
        for (JsonNode status : listed) {
            if (status.asInt() == code) {
                return true;
            }
        }
        return false;
    }

    private Optional<JsonNode> document(String name) {
        try {
            ObjectNode schema = (ObjectNode) schemas.schema(name).getSchemaNode().deepCopy();
            return Optional.of(schema.put(NAME, name));
        } catch (IllegalArgumentException | ClassCastException missing) {
            return Optional.empty();
        }
    }

    /** {@code {"$ref": ...}} to the schema, copied into the components on first use; empty if there is none. */
    private Optional<JsonNode> ref(String name, ObjectNode components) {
        String component = name.replace('/', '.');
        if (!components.has(component)) {
            Optional<JsonNode> schema = document(name);
            if (schema.isEmpty()) {
                return Optional.empty();
            }
            // OpenAPI 3.1 schemas are JSON Schema 2020-12; the dialect and the id are the document's.
            components.set(component, ((ObjectNode) schema.get()).remove(List.of("$schema", "$id", STATUS, NAME)));
        }
        return Optional.of(json.createObjectNode().put("$ref", REF + component));
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        JsonNode child = parent.get(name);
        if (child instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(name);
    }
}
