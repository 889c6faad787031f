package io.cvmboot.measure.pe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Loads the vectors in src/test/resources/pe (see README.md there) and locates the test kernel. */
final class PeVectors {
    private PeVectors() {}

    static byte[] resource(String name) {
        try (InputStream in = PeVectors.class.getResourceAsStream("/pe/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /pe/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Debian signed test kernel (ci/fetch-test-kernel.sh), when it has been fetched. */
    static Optional<Path> testKernel() {
        String dir = System.getenv("CVMBOOT_TEST_KERNEL_DIR");
        String cache = System.getenv("XDG_CACHE_HOME");
        Path cacheDir = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        // Same lookup as ci/fetch-test-kernel.sh and the builder's TestKernel.
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : cacheDir.resolve("cvmboot/test-kernel");
        Path vmlinuz = base.resolve("vmlinuz");
        return Files.isRegularFile(vmlinuz) ? Optional.of(vmlinuz) : Optional.empty();
    }

    static byte[] padTo8(byte[] b) {
        return java.util.Arrays.copyOf(b, (b.length + 7) & ~7);
    }
}
