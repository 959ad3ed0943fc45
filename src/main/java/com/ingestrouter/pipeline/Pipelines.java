package com.ingestrouter.pipeline;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured pipelines found in the route files at start-up ({@link PipelineFiles}), by name: where
 * a dead-letter replay publishes to. Pipelines wired by properties ({@code ingest.<pipeline>.replay-uri})
 * need no entry here.
 */
public final class Pipelines {
    private final Map<String, String> replayUris = new ConcurrentHashMap<>();

    public void register(String pipeline, String replayUri) {
        replayUris.put(pipeline, replayUri);
    }

    public Optional<String> replayUri(String pipeline) {
        return Optional.ofNullable(replayUris.get(pipeline));
    }

    public java.util.Set<String> names() {
        return java.util.Set.copyOf(replayUris.keySet());
    }
}
