package com.ingestrouter.errors;

/**
 * A foreign key found no parent row. The parent may still be in flight (another partition, another
 * queue), so this is retried for a bounded window before it is dead-lettered.
 */
public class MissingParentException extends RuntimeException {
    public MissingParentException(String message, Throwable cause) {
        super(message, cause);
    }
}
