package com.ingestrouter.pipeline;

/** A route file uses a building block wrongly; start-up stops before any message is read. */
public final class PipelineRefused extends RuntimeException {
    public PipelineRefused(String message) {
        super(message);
    }
}
