package com.ingestrouter.sink;

import java.util.Locale;

/** How a sink treats a record whose key is already in the table. */
public enum SinkMode {
    /** Insert, or update the row to the record's values; an identical record is a duplicate. */
    UPSERT,
    /** The first record of a key wins; later ones are duplicates (written to {@code refusedTable} if set). */
    INSERT_IF_ABSENT,
    /** Every record is a new row (the table has its own key). */
    APPEND;

    public static SinkMode parse(String text) {
        for (SinkMode mode : values()) {
            if (mode.name().replace('_', '-').equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "' (upsert, insert-if-absent, append)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
