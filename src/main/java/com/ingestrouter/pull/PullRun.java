package com.ingestrouter.pull;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a pull, shared (by reference) with the split's item exchanges so they can count what
 * they stored.
 */
public final class PullRun {
    /** Exchange property holding the run. */
    public static final String PROPERTY = "pullRun";

    private final long id;
    private final String pipeline;
    private final String url;
    private final Instant startedAt;
    private final AtomicInteger stored = new AtomicInteger();
    private volatile int items;

    PullRun(long id, String pipeline, String url, Instant startedAt) {
        this.id = id;
        this.pipeline = pipeline;
        this.url = url;
        this.startedAt = startedAt;
    }

    public long id() {
        return id;
    }

    public String pipeline() {
        return pipeline;
    }

    public String url() {
        return url;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public int stored() {
        return stored.get();
    }

    public void itemStored() {
        stored.incrementAndGet();
    }

    public int items() {
        return items;
    }

    void items(int count) {
        this.items = count;
    }
}
