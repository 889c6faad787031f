package io.cvmboot.stage1.metadata;

import java.time.Duration;

/**
 * Bounded retries with exponential backoff for transient failures (timeouts, refused connections,
 * 5xx, 429).
 *
 * @param attempts tries per source, at least 1
 * @param firstBackoff pause after the first failure; doubled after each further one
 */
public record RetryPolicy(int attempts, Duration firstBackoff) {
    /** Three tries, 0.5 s then 1 s apart: rides out an IMDS that is still starting, fails in seconds otherwise. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(500));

    public RetryPolicy {
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("attempts must be 1..20, got " + attempts);
        }
        if (firstBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative");
        }
    }

    Duration backoffAfter(int failedAttempt) {
        return firstBackoff.multipliedBy(1L << Math.min(failedAttempt - 1, 10));
    }
}
