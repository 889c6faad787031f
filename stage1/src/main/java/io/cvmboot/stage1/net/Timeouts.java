package io.cvmboot.stage1.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-request timeouts.
 *
 * @param connect TCP (and TLS) connect
 * @param read longest wait for the next bytes of a response
 */
public record Timeouts(Duration connect, Duration read) {
    /** Metadata services answer on the local link within milliseconds when they exist at all. */
    public static final Timeouts METADATA = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    /** stage2 may come from far away; a stall of 30 s is a failure, a slow transfer is not. */
    public static final Timeouts DOWNLOAD = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive (zero would mean: wait forever)");
        }
    }

    int connectMillis() {
        return (int) Math.min(Integer.MAX_VALUE, connect.toMillis());
    }

    int readMillis() {
        return (int) Math.min(Integer.MAX_VALUE, read.toMillis());
    }
}
