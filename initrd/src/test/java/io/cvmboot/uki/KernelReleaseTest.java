package io.cvmboot.uki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelReleaseTest {
    private static byte[] bzImageWithVersion(String version) {
        byte[] b = new byte[0x1000];
        System.arraycopy("HdrS".getBytes(StandardCharsets.US_ASCII), 0, b, KernelRelease.OFFSET_HEADER_MAGIC, 4);
        int at = 0x400;
        b[KernelRelease.OFFSET_KERNEL_VERSION] = (byte) ((at - 0x200) & 0xFF);
        b[KernelRelease.OFFSET_KERNEL_VERSION + 1] = (byte) ((at - 0x200) >> 8);
        byte[] v = version.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(v, 0, b, at, v.length);
        return b;
    }

    @Test
    void of_debianKernel_isItsUnameR() throws Exception {
        var kernel = UkiVectors.testKernel();
        assumeTrue(kernel.isPresent(), UkiVectors.NO_KERNEL);
        // The package name linux-image-6.1.0-56-cloud-amd64 carries the same release string.
        assertEquals(Optional.of("6.1.0-56-cloud-amd64"), KernelRelease.of(Files.readAllBytes(kernel.get())));
    }

    @Test
    void of_versionStringAsKbuildWritesIt() {
        assertEquals(Optional.of("6.12.3-arch1-1"),
                KernelRelease.of(bzImageWithVersion("6.12.3-arch1-1 (linux@archlinux) #1 SMP PREEMPT_DYNAMIC")));
    }

    @Test
    void of_noHdrSMagic_empty() {
        byte[] b = bzImageWithVersion("6.1.0 (x@y) #1");
        b[KernelRelease.OFFSET_HEADER_MAGIC] = 'X';
        assertTrue(KernelRelease.of(b).isEmpty());
    }

    @Test
    void of_unparsableVersion_empty() {
        assertTrue(KernelRelease.of(bzImageWithVersion("Version 6 with spaces")).isEmpty());
        assertTrue(KernelRelease.of(new byte[10]).isEmpty());
    }
}
