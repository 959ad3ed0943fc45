package com.ingestrouter.deadletter;

import java.util.List;
import java.util.Map;

/** Where dead letters are kept: Redis (entries by id, in arrival order), or a table in embedded mode. */
public interface DeadLetterStore {

    /**
     * Appends the envelope (lists are oldest first); false when one for the same record
     * ({@link DeadLetter#recordIdentity()}: a re-read Kafka record) is already stored, and nothing is
     * stored then. Throws when the store is unreachable.
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

    /** Removes every entry of the pipeline, atomically; returns how many it removed. */
    long purge(String pipeline);

    /** Fails when the store is unreachable. */
    void ping();

    /** Name used in /health. */
    String name();
}
