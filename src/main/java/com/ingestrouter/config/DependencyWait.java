package com.ingestrouter.config;

import com.ingestrouter.errors.Causes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up waits for each dependency with exponential backoff, then gives up with one clear line.
 *
 * <p>{@link #inBackground} waits on a thread of its own, so the dependencies are awaited side by side
 * while Camel loads and initialises the routes (together about 3 s of a 7 s start-up before this). As a
 * StartupListener it holds the context's start, before any route starts, until every wait and its
 * follow-up step has finished, and fails the start with the first failure.
 */
public final class DependencyWait implements StartupListener {
    private static final Logger LOG = LoggerFactory.getLogger(DependencyWait.class);
    private static final long FIRST_DELAY_MS = 250;
    private static final long MAX_DELAY_MS = 5_000;
    private final Duration limit;

    private final List<CompletableFuture<Void>> pending = new ArrayList<>();

    public DependencyWait(Duration limit) {
        this.limit = limit;
    }

    /** A step to run once the dependency is up (migrate, create the topic). */
    @FunctionalInterface
    public interface ThenStep {
        void run() throws Exception;
    }

    /** A background wait, for a step that needs its dependency before the routes start. */
    public static final class Pending {
        private final CompletableFuture<Void> done;

        Pending(CompletableFuture<Void> done) {
            this.done = done;
        }

        /** Blocks until the wait and its step are done; rethrows their failure. */
        public void join() throws Exception {
            try {
                done.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /** Waits for the dependency, then runs the step, on a daemon thread; see {@link #onCamelContextStarting}. */
    public synchronized Pending inBackground(DependencyCheck dependency, ThenStep then) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                await(dependency);
                then.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "startup-" + dependency.name());
        thread.setDaemon(true);
        thread.start();
        pending.add(done);
        return new Pending(done);
    }

    /** Called by Camel before the routes start: every background wait must have succeeded. */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) throws Exception {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            all = List.copyOf(pending);
        }
        for (CompletableFuture<Void> done : all) {
            new Pending(done).join();
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
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
