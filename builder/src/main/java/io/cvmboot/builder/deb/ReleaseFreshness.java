package io.cvmboot.builder.deb;

import java.time.Instant;

/**
 * How to treat a Release file's {@code Date} and {@code Valid-Until} fields. The time comes from the
 * caller (the library reads no clock). Checking an archived snapshot (e.g. the InRelease kept with
 * a release build) needs {@link #IGNORE_EXPIRY}, and must say so explicitly.
 *
 * @param now the time to check against; null only in {@link #IGNORE_EXPIRY}
 */
public record ReleaseFreshness(Instant now) {
    /** Accept expired Release files: for re-checking archived snapshots only. */
    public static final ReleaseFreshness IGNORE_EXPIRY = new ReleaseFreshness(null);

    /** Require Date ≤ now ≤ Valid-Until. */
    public static ReleaseFreshness at(Instant now) {
        if (now == null) {
            throw new IllegalArgumentException("freshness check needs a time; use IGNORE_EXPIRY to skip it");
        }
        return new ReleaseFreshness(now);
    }

    public boolean ignoresExpiry() {
        return now == null;
    }
}
