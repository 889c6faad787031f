package io.cvmboot.stage1;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Console log lines with a kernel-style timestamp (seconds since boot from the monotonic clock, as
 * printk shows them), so stage1's lines interleave with the kernel's on the serial console.
 * Library classes receive a {@code Log}; they never print by themselves.
 */
public interface Log {
    void line(String message);

    /** Discards everything (tests that do not look at the log). */
    Log NONE = message -> {};

    /** Writes {@code [ seconds.micros] stage1: message} to {@code out}. */
    static Log to(PrintStream out) {
        return message -> {
            long micros = System.nanoTime() / 1000;
            out.println(String.format(Locale.ROOT, "[%5d.%06d] stage1: %s", micros / 1_000_000, micros % 1_000_000, message));
            out.flush();
        };
    }
}
