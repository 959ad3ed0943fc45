package com.ingestrouter.sql;

/** How a database error should be treated, as told by the dialect from SQLState and vendor codes. */
public enum SqlFailure {
    /** Connection loss, timeout, deadlock: try the same message again. */
    TRANSIENT,
    /** A foreign key has no parent yet. */
    MISSING_PARENT,
    /** The row itself is refused (unique clash, CHECK, too long, bad value). */
    REJECTED
}
