package io.cvmboot.uki;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Test inputs in src/test/resources/uki (see README.md there) and the fetched test kernel. */
public final class UkiVectors {
    private UkiVectors() {}

    public static byte[] resource(String name) {
        try (InputStream in = UkiVectors.class.getResourceAsStream("/uki/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /uki/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Debian test kernel fetched by ci/fetch-test-kernel.sh (or in CVMBOOT_TEST_KERNEL_DIR). */
    public static Optional<Path> testKernel() {
        String dir = System.getenv("CVMBOOT_TEST_KERNEL_DIR");
        String cache = System.getenv("XDG_CACHE_HOME");
        Path cacheDir = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        // Same lookup as ci/fetch-test-kernel.sh and the builder's TestKernel.
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : cacheDir.resolve("cvmboot/test-kernel");
        Path vmlinuz = base.resolve("vmlinuz");
        return Files.isRegularFile(vmlinuz) ? Optional.of(vmlinuz) : Optional.empty();
    }

    public static final String NO_KERNEL = "test kernel absent: run ci/fetch-test-kernel.sh (or set CVMBOOT_TEST_KERNEL_DIR)";

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
