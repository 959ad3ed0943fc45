package com.ingestrouter.config;

import java.util.Locale;

/** Where the application runs: self-contained, or against real brokers, database and Redis. */
public enum Mode {
    EMBEDDED, BROKERS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode picks which endpoint properties load, so it is read before Camel's placeholders exist. */
    public static Mode fromEnvironment() {
        String value = System.getProperty("ingest.mode", System.getenv().getOrDefault("INGEST_MODE", "embedded"));
        return parse(value);
    }

    public static Mode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("INGEST_MODE must be 'embedded' or 'brokers', not '" + value + "'");
        }
    }
}
