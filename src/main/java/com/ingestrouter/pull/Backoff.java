package com.ingestrouter.pull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Retry delays of a pull: exponential from {@code initial}, capped at {@code max}, with "equal jitter"
 * (a random point in the upper half of the step) so several instances do not retry in step. A server's
 * Retry-After is honoured: the delay is never shorter than what the server asked for.
 */
public final class Backoff {
    static final double MULTIPLIER = 2.0;
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /**
     * Delay before attempt {@code failedAttempt + 1}.
     *
     * @param failedAttempt 1 for the first failure
     * @param retryAfter    the server's Retry-After, or null
     */
    public Duration delay(int failedAttempt, Duration retryAfter) {
        double step = Math.min(max.toMillis(), initial.toMillis() * Math.pow(MULTIPLIER, failedAttempt - 1));
        long jittered = (long) (step / 2 + random.getAsDouble() * step / 2);
        Duration computed = Duration.ofMillis(jittered);
        return retryAfter != null && retryAfter.compareTo(computed) > 0 ? retryAfter : computed;
    }

    public Duration max() {
        return max;
    }
}
