package com.ingestrouter.sql;

import com.ingestrouter.errors.InfrastructureUnavailable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many consumer threads each hand over one message and wait; a writer thread commits
 * whatever has gathered in one transaction and wakes them all. A commit (an fsync) then costs once
 * per batch instead of once per message, while every consumer still acks only after its own row is
 * committed.
 *
 * <p>When a batch fails for a reason that belongs to one message (a rejected row, a missing parent,
 * a key race), the batch is rolled back and its messages are written one by one, so only the bad
 * one fails and goes on to the dead-letter channel. An infrastructure failure fails them all: each
 * is retried by the route's error handler.
 */
public final class GroupCommit<T, R> implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** Writes a whole batch in one transaction; returns one result per item, in order. */
    @FunctionalInterface
    public interface BatchWrite<T, R> {
        List<R> write(List<T> items);
    }

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final String name;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BatchWrite<T, R> batchWrite;
    private final Function<T, R> singleWrite;
    private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private final int writerCount;
    private volatile boolean running;

    public GroupCommit(String name, int writerCount, int maxBatch, long maxWaitMicros, BatchWrite<T, R> batchWrite,
            Function<T, R> singleWrite) {
        this.name = name;
        this.writerCount = writerCount;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(maxWaitMicros);
        this.batchWrite = batchWrite;
        this.singleWrite = singleWrite;
    }

    /** Blocks until the item's transaction committed; rethrows the item's own failure. */
    public R submit(T item) {
        if (!running) {
            throw new InfrastructureUnavailable(name + " writer", new IllegalStateException("stopped"));
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        queue.add(new Pending<>(item, result));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureUnavailable(name + " writer", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < writerCount; i++) {
            Thread writer = new Thread(this::writeLoop, name + "-group-commit-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /** Called after the routes stopped: nothing new arrives, what is queued gets written first. */
    @Override
    public synchronized void stop() {
        running = false;
        writers.forEach(Thread::interrupt);
        for (Thread writer : writers) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writers.clear();
        Pending<T, R> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new InfrastructureUnavailable(name + " writer", new IllegalStateException("stopped")));
        }
    }

    private void writeLoop() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                write(batch);
            } catch (InterruptedException e) {
                if (!running && queue.isEmpty()) {
                    return;
                }
            } finally {
                batch.clear();
            }
        }
    }

    /** Takes what is queued, and waits a little for consumers that are just about to hand over. */
    private void gather(List<Pending<T, R>> batch) throws InterruptedException {
        queue.drainTo(batch, maxBatch - batch.size());
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            Pending<T, R> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void write(List<Pending<T, R>> batch) {
        if (batch.size() == 1) {
            writeOne(batch.get(0));
            return;
        }
        try {
            List<R> results = batchWrite.write(batch.stream().map(Pending::item).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (InfrastructureUnavailable e) {
            batch.forEach(p -> p.result().completeExceptionally(e));
        } catch (RuntimeException e) {
            LOG.debug("{} batch of {} failed ({}); writing its messages one by one", name, batch.size(), e.toString());
            batch.forEach(this::writeOne);
        }
    }

    private void writeOne(Pending<T, R> pending) {
        try {
            pending.result().complete(singleWrite.apply(pending.item()));
        } catch (RuntimeException e) {
            pending.result().completeExceptionally(e);
        }
    }
}
