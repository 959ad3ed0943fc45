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
    private final Map<String, String> replayKeyHeaders = new ConcurrentHashMap<>();

    public void register(String pipeline, String replayUri) {
        replayUris.put(pipeline, replayUri);
    }

    /** A Kafka-sourced pipeline replays under the record's key, so it lands on its entity's partition. */
    public void register(String pipeline, String replayUri, String keyHeader) {
        register(pipeline, replayUri);
        replayKeyHeaders.put(pipeline, keyHeader);
    }

    public Optional<String> replayKeyHeader(String pipeline) {
        return Optional.ofNullable(replayKeyHeaders.get(pipeline));
    }

    public Optional<String> replayUri(String pipeline) {
        return Optional.ofNullable(replayUris.get(pipeline));
    }

    public java.util.Set<String> names() {
        return java.util.Set.copyOf(replayUris.keySet());
    }
}
