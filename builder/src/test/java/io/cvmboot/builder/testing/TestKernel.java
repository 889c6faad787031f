package io.cvmboot.builder.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The pinned Debian kernel the boot tests boot (linux-image-6.1.0-56-cloud-amd64 6.1.192-2),
 * unpacked by {@code ci/fetch-test-kernel.sh} into {@code ~/.cache/cvmboot/test-kernel} or
 * {@code $CVMBOOT_TEST_KERNEL_DIR}. Tests that need it skip with a message when it is absent.
 */
public final class TestKernel {
    public static final String RELEASE = "6.1.0-56-cloud-amd64";

    private TestKernel() {}

    public static Path directory() {
        String env = System.getenv("CVMBOOT_TEST_KERNEL_DIR");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cvmboot/test-kernel");
    }

    public static boolean available() {
        return Files.isRegularFile(directory().resolve("vmlinuz"));
    }

    /** Skips the calling test unless the kernel is there. */
    public static void assume() {
        Assumptions.assumeTrue(available(),
                "test kernel absent at " + directory() + ": run ci/fetch-test-kernel.sh");
    }

    public static Path vmlinuz() {
        assume();
        return directory().resolve("vmlinuz");
    }

    /** A module of the test kernel, e.g. {@code kernel/fs/efivarfs/efivarfs.ko}. */
    public static Path module(String relative) {
        assume();
        return directory().resolve("root/lib/modules/" + RELEASE + "/" + relative);
    }
}
