package io.cvmboot.measure.snp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test inputs: resources under /snp/ and the pinned Debian test kernel (skipped when absent). */
final class SnpTestFiles {
    static final String AMDSEV = "OVMF.amdsev.sid.fd";
    static final String BOOKWORM = "OVMF.bookworm.fd";
    static final String KERNEL_TOKEN = "${TEST_KERNEL_DIR}/vmlinuz";

    private SnpTestFiles() {}

    static byte[] resource(String name) {
        try (InputStream in = SnpTestFiles.class.getResourceAsStream("/snp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /snp/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path kernelDir() {
        String env = System.getenv("CVMBOOT_TEST_KERNEL_DIR");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "cvmboot", "test-kernel");
    }

    /** The Debian test kernel; skips the test with a clear message when it is absent. */
    static byte[] kernel() {
        Path k = kernelDir().resolve("vmlinuz");
        assumeTrue(Files.isRegularFile(k), "test kernel " + k + " absent: run ci/fetch-test-kernel.sh"
                + " (or set CVMBOOT_TEST_KERNEL_DIR) to run the kernel-hashes vectors");
        try {
            return Files.readAllBytes(k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A resource file or the kernel token, as the vector file names inputs. */
    static byte[] input(String name) {
        return KERNEL_TOKEN.equals(name) ? kernel() : resource(name);
    }
}
