package io.cvmboot.initrd;

import io.cvmboot.measure.Digest;
import java.util.Objects;

/** What a write produced: its length and SHA-256, computed while writing. */
public record WriteResult(long size, Digest sha256) {
    public WriteResult {
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }
}
