package com.ingestrouter.errors;

/** Walking an exception's cause chain, which wrappers (Spring, Hikari, Camel) lengthen. */
public final class Causes {
    private Causes() {
    }

    /** The first exception of the given type in the chain, or null. */
    public static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The innermost cause (often the one that says what really happened, e.g. "Connection refused"). */
    public static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
