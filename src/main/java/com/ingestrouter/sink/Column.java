package com.ingestrouter.sink;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * One column of a sink and where its value comes from. Written in a pipeline's YAML as
 * {@code column=source:type}, entries separated by commas or new lines; {@code source} defaults to the
 * column's name and {@code type} to {@code string}. A source is
 * <ul>
 *   <li>a field name of the record ({@code shipmentId}), or a JSON pointer ({@code /order/id});</li>
 *   <li>{@code $}: the whole record (with type {@code json});</li>
 *   <li>{@code header:Name}: a message header (the AMQP message id, for example);</li>
 *   <li>{@code now}: the time of writing.</li>
 * </ul>
 */
public record Column(String name, String source, ColumnType type) {
    /** Identifiers go into SQL text, so only plain names pass: no quoting, no injection. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
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
        String left = entry;
        ColumnType type = ColumnType.STRING;
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && !entry.substring(0, colon).trim().endsWith("header")) {
            type = ColumnType.parse(entry.substring(colon + 1));
            left = entry.substring(0, colon);
        }
        int eq = left.indexOf('=');
        String name = (eq < 0 ? left : left.substring(0, eq)).trim();
        String source = (eq < 0 ? name : left.substring(eq + 1)).trim();
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("column '" + name + "' is not a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*)");
        }
        if (!(source.equals("$") || source.equals("now") || source.startsWith("/") || source.startsWith("header:")
                || FIELD.matcher(source).matches())) {
            throw new IllegalArgumentException("column " + name + ": source '" + source
                    + "' is not a field name, a JSON pointer (/a/b), $, header:Name or now");
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
        if (source.startsWith("/")) {
            JsonNode node = record.at(source);
            return node.isMissingNode() ? null : node;
        }
        if (source.startsWith("header:")) {
            Object header = exchange.getMessage().getHeader(source.substring("header:".length()));
            return header == null ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(header.toString());
        }
        return record.get(source);
    }

    /** Whether the value is computed at write time rather than taken from the record. */
    boolean generated() {
        return source.equals("now");
    }
}
