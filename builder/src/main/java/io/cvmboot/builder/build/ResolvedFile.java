package io.cvmboot.builder.build;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.util.Objects;

/**
 * An input file, read once and hashed once, with where it came from.
 *
 * @param role what the build uses it for (kernel, firmware, stub, busybox, module, library, ...)
 * @param origin human-readable origin: "linux-image-6.1.0-56-cloud-amd64 6.1.192-2 (amd64):boot/vmlinuz-..." or a path
 * @param bytes the contents (not copied: the build never changes them)
 * @param sha256 SHA-256 of the contents
 */
public record ResolvedFile(String role, String origin, byte[] bytes, Digest sha256) {
    public ResolvedFile {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sha256, "sha256");
    }

    public ResolvedFile(String role, String origin, byte[] bytes) {
        this(role, origin, bytes, Digest.compute(HashAlgorithm.SHA256, bytes));
    }

    public long size() {
        return bytes.length;
    }

    /** The last path element of the origin, e.g. virtio_net.ko. */
    public String fileName() {
        String o = origin.replace('\\', '/');
        return o.substring(o.lastIndexOf('/') + 1);
    }
}
