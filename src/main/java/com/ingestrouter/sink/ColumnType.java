package com.ingestrouter.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.ingestrouter.errors.InvalidMessageException;
import com.ingestrouter.sql.Dialect;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The types a sink column can have. Each knows how a JSON value becomes the value bound for it, and how
 * to read the stored value back in the same form, so "same content" compares like with like on every
 * dialect (a DECIMAL read back as 10.5000 equals 10.50; a MariaDB DATETIME equals the instant sent).
 */
public enum ColumnType {
    STRING(Types.VARCHAR) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            return node.isValueNode() ? node.asText() : node.toString();
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            return rs.getString(column);
        }
    },
    /**
     * A scalar's text, lower-cased, so a filter matches "ERROR" and "error" alike (the logs level); an
     * object or array is stored as null rather than as text nobody filters on.
     */
    LOWERCASE(Types.VARCHAR) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            return node.isValueNode() ? node.asText().toLowerCase(Locale.ROOT) : null;
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            return rs.getString(column);
        }
    },
    INTEGER(Types.BIGINT) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            if (node.isNumber() && node.decimalValue().stripTrailingZeros().scale() <= 0 && node.canConvertToLong()) {
                return node.decimalValue().longValueExact();
            }
            throw new InvalidMessageException(field, "must be an integer that fits 64 bits");
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            long value = rs.getLong(column);
            return rs.wasNull() ? null : value;
        }
    },
    DECIMAL(Types.DECIMAL) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            if (!node.isNumber()) {
                throw new InvalidMessageException(field, "must be a number");
            }
            return node.decimalValue();
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            return rs.getBigDecimal(column);
        }

        @Override
        boolean same(Object stored, Object bound) {
            return stored instanceof BigDecimal a && bound instanceof BigDecimal b ? a.compareTo(b) == 0 : super.same(stored, bound);
        }
    },
    BOOLEAN(Types.BOOLEAN) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            if (!node.isBoolean()) {
                throw new InvalidMessageException(field, "must be true or false");
            }
            return node.booleanValue();
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            boolean value = rs.getBoolean(column);
            return rs.wasNull() ? null : value;
        }
    },
    /** An ISO-8601 instant with an offset ({@code 2026-05-01T10:00:00Z}); stored in UTC. */
    TIMESTAMP(Types.TIMESTAMP) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            return dialect.timestamp(instant(node, field));
        }

        @Override
        Object comparable(JsonNode node, String field, Dialect dialect) {
            return instant(node, field);
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            return dialect.instant(rs, column);
        }

        private Instant instant(JsonNode node, String field) {
            if (!node.isTextual()) {
                throw new InvalidMessageException(field, "must be an ISO-8601 date-time string");
            }
            try {
                return OffsetDateTime.parse(node.textValue()).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidMessageException(field, "must be an ISO-8601 date-time with an offset, not " + node.textValue());
            }
        }
    },
    /** The JSON text of the value (the whole record with field {@code $}); compared as JSON, not as text. */
    JSON(Types.VARCHAR) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            return node.toString();
        }

        @Override
        Object comparable(JsonNode node, String field, Dialect dialect) {
            return node;
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            String text = rs.getString(column);
            try {
                return text == null ? null : STORED_JSON.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return text;
            }
        }
    },
    UUID(Types.VARCHAR) {
        @Override
        Object fromJson(JsonNode node, String field, Dialect dialect) {
            try {
                return dialect.uuid(java.util.UUID.fromString(node.asText().trim()));
            } catch (IllegalArgumentException e) {
                throw new InvalidMessageException(field, "must be a UUID");
            }
        }

        @Override
        Object comparable(JsonNode node, String field, Dialect dialect) {
            return fromJson(node, field, dialect).toString();
        }

        @Override
        Object read(ResultSet rs, String column, Dialect dialect) throws SQLException {
            Object value = rs.getObject(column);
            return value == null ? null : value.toString();
        }
    };

    private static final com.fasterxml.jackson.databind.ObjectMapper STORED_JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private final int sqlType;

    ColumnType(int sqlType) {
        this.sqlType = sqlType;
    }

    public int sqlType() {
        return sqlType;
    }

    public static ColumnType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown column type '" + name.trim()
                    + "' (string, lowercase, integer, decimal, boolean, timestamp, json, uuid)");
        }
    }

    /** The value to bind for a non-null JSON value; an unsuitable value is the message's fault. */
    abstract Object fromJson(JsonNode node, String field, Dialect dialect);

    /** The value to compare with what {@link #read} returns. */
    Object comparable(JsonNode node, String field, Dialect dialect) {
        return fromJson(node, field, dialect);
    }

    /** Reads the stored value in the form {@link #comparable} gives. */
    abstract Object read(ResultSet rs, String column, Dialect dialect) throws SQLException;

    boolean same(Object stored, Object bound) {
        return java.util.Objects.equals(stored, bound);
    }

}
