package com.ingestrouter.sink;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * One column of a sink and where its value comes from. Written in a pipeline's YAML as
 * {@code column=source:type}, entries separated by commas or new lines; {@code source} defaults to the
 * column's name and {@code type} to {@code string}. A source is
 * <ul>
 *   <li>a field name of the record ({@code orderId}), or a JSON pointer ({@code /order/id});</li>
 *   <li>{@code $}: the whole record (with type {@code json});</li>
 *   <li>{@code messageId}: the broker message id (AMQP message-id; the in-JVM queue carries it too);</li>
 *   <li>{@code header:Name}: a message header; {@code property:Name}: an exchange property (a pull's
 *       {@code pullUrl}, for example);</li>
 *   <li>{@code now}: the time of writing.</li>
 * </ul>
 */
public record Column(String name, String source, ColumnType type) {
    /** Identifiers go into SQL text, so only plain names pass: no quoting, no injection. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    static final String MESSAGE_ID = "messageId";
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]{0,127}");

    public static List<Column> parseAll(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("columns is empty");
        }
        List<Column> columns = new ArrayList<>();
        for (String entry : spec.split("[,\\n]")) {
            if (!entry.isBlank()) {
                columns.add(parse(entry.trim()));
            }
        }
        return columns;
    }

    static Column parse(String entry) {
        int eq = entry.indexOf('=');
        String name = (eq < 0 ? entry : entry.substring(0, eq)).trim();
        String source = eq < 0 ? null : entry.substring(eq + 1).trim();
        ColumnType type = ColumnType.STRING;
        // The type is a known name after the last ':' (header:Name and property:Name have colons too).
        String typed = source == null ? name : source;
        int colon = typed.lastIndexOf(':');
        boolean prefixed = typed.startsWith("header:") || typed.startsWith("property:");
        if (colon > 0 && !(prefixed && colon == typed.indexOf(':'))) {
            type = ColumnType.parse(typed.substring(colon + 1));
            typed = typed.substring(0, colon).trim();
        }
        if (source == null) {
            name = typed;
            source = typed;
        } else {
            source = typed;
        }
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("column '" + name + "' is not a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*)");
        }
        if (!(source.equals("$") || source.equals("now") || source.equals(MESSAGE_ID) || source.startsWith("/") || source.startsWith("header:") || source.startsWith("property:")
                || FIELD.matcher(source).matches())) {
            throw new IllegalArgumentException("column " + name + ": source '" + source
                    + "' is not a field name, a JSON pointer (/a/b), $, messageId, header:Name, property:Name or now");
        }
        if (source.startsWith("/")) {
            JsonPointer.compile(source);
        }
        return new Column(name, source, type);
    }

    /** The JSON value this column takes from the record; null when absent. */
    JsonNode value(JsonNode record, Exchange exchange) {
        if (source.equals("$")) {
            return record;
        }
        if (source.equals(MESSAGE_ID)) {
            Object id = exchange.getMessage().getHeader(SpringRabbitMQConstants.MESSAGE_ID);
            return id == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(id.toString());
        }
        if (source.startsWith("/")) {
            JsonNode node = record.at(source);
            return node.isMissingNode() ? null : node;
        }
        if (source.startsWith("header:")) {
            Object header = exchange.getMessage().getHeader(source.substring("header:".length()));
            return header == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(header.toString());
        }
        if (source.startsWith("property:")) {
            Object property = exchange.getProperty(source.substring("property:".length()));
            return property == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(property.toString());
        }
        return record.get(source);
    }

    /** The field a refusal names: the record's field, or the column for values from the message. */
    String field() {
        return source.startsWith("/") || FIELD.matcher(source).matches() && !source.equals(MESSAGE_ID) ? source : name;
    }

    /** Whether the value comes from the message (id, header, property), not from the record's body. */
    boolean fromMessage() {
        return source.equals(MESSAGE_ID) || source.startsWith("header:") || source.startsWith("property:");
    }

    /** Whether the value is computed at write time rather than taken from the record. */
    boolean generated() {
        return source.equals("now");
    }
}
