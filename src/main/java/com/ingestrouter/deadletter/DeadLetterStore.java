package com.ingestrouter.deadletter;

import java.util.List;
import java.util.Map;

/** Where dead letters are kept: a Redis list per pipeline, or a table in embedded mode. */
public interface DeadLetterStore {

    /** Appends at the tail (oldest first). Throws when the store is unreachable. */
    /**
     * Stores the envelope; false when one for the same {@link DeadLetter#position()} is already stored
     * (a re-read Kafka record), and nothing is stored then.
     */
    boolean append(DeadLetter letter);

    /** Entries oldest first. */
    List<DeadLetter> list(String pipeline, int offset, int limit);

    /** Entry count per pipeline that has any. */
    Map<String, Long> counts();

    /** How many entries the pipeline holds. */
    long count(String pipeline);

    /** Removes one entry by id; false when it was not there. */
    boolean remove(String pipeline, String id);

    /** Removes every entry of the pipeline; returns how many there were. */
    long purge(String pipeline);

    /** Fails when the store is unreachable. */
    void ping();

    /** Name used in /health. */
    String name();
}
