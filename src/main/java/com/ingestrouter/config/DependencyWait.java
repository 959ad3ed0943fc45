package com.ingestrouter.config;

import com.ingestrouter.errors.Causes;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up waits for each dependency with exponential backoff, then gives up with one clear line. */
public final class DependencyWait {
    private static final Logger LOG = LoggerFactory.getLogger(DependencyWait.class);
    private static final long FIRST_DELAY_MS = 250;
    private static final long MAX_DELAY_MS = 5_000;
    private final Duration limit;

    public DependencyWait(Duration limit) {
        this.limit = limit;
    }

    public void await(DependencyCheck dependency) {
        long deadline = System.nanoTime() + limit.toNanos();
        long delay = FIRST_DELAY_MS;
        int attempt = 1;
        while (true) {
            try {
                dependency.probe().check();
                if (attempt > 1) {
                    LOG.info("{} at {} is up", dependency.name(), dependency.address());
                }
                return;
            } catch (Exception e) {
                if (System.nanoTime() + delay * 1_000_000 > deadline) {
                    throw new DependencyUnavailableException(dependency, limit, e);
                }
                LOG.warn("Waiting for {} at {} (attempt {}, next in {} ms): {}",
                        dependency.name(), dependency.address(), attempt, delay, e.getMessage());
                sleep(delay);
                delay = Math.min(delay * 2, MAX_DELAY_MS);
                attempt++;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a dependency", e);
        }
    }

    /** Start-up gave up on a dependency; App turns this into a non-zero exit. */
    public static final class DependencyUnavailableException extends RuntimeException {
        public DependencyUnavailableException(DependencyCheck dependency, Duration limit, Exception cause) {
            super(dependency.name() + " at " + dependency.address() + " not reachable after "
                    + limit.toSeconds() + " s: " + rootMessage(cause), cause);
        }

        /** The pool's "connection not available" hides the useful part ("Connection refused"). */
        private static String rootMessage(Throwable e) {
            Throwable root = Causes.root(e);
            return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
        }
    }
}
