package com.ingestrouter.config;

/** A dependency the application cannot work without; used by start-up and by /health alike. */
public record DependencyCheck(String name, String address, Probe probe) {

    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }
}
