package io.cvmboot.builder.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Expected paths are the {@code Filename:} fields of bookworm's Packages indexes as printed by
 * {@code apt-cache show <package>} on this machine (2026-11-22); see docs/packages.md.
 */
class PoolPathsTest {

    @Test
    void derive_securityKernelFromItsSourcePackage() {
        assertEquals("pool/updates/main/l/linux-signed-amd64/linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb",
                PoolPaths.derive(Archive.SECURITY, "linux-signed-amd64", "linux-image-6.1.0-56-cloud-amd64",
                        "6.1.192-2", "amd64"));
    }

    @Test
    void derive_dropsTheEpochFromTheFileName() {
        assertEquals("pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_amd64.deb",
                PoolPaths.derive(Archive.DEBIAN, "busybox", "busybox-static", "1:1.35.0-4+deb12u1+b1", "amd64"));
    }

    @Test
    void derive_sourceNameDecidesThePrefixDirectory() {
        assertEquals("pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb",
                PoolPaths.derive(Archive.DEBIAN, "glibc", "libc6", "2.36-9+deb12u14", "amd64"));
        assertEquals("pool/main/e/edk2/ovmf_2022.11-6+deb12u2_all.deb",
                PoolPaths.derive(Archive.DEBIAN, "edk2", "ovmf", "2022.11-6+deb12u2", "all"));
    }

    @Test
    void derive_libSourcesUseFourLetterPrefix() {
        // bookworm: Filename: pool/main/libx/libxml2/libxml2_2.9.14+dfsg-1.3~deb12u6_amd64.deb
        assertEquals("pool/main/libx/libxml2/libxml2_2.9.14+dfsg-1.3~deb12u6_amd64.deb",
                PoolPaths.derive(Archive.DEBIAN, "libxml2", "libxml2", "2.9.14+dfsg-1.3~deb12u6", "amd64"));
    }

    @Test
    void aptDownloadFileName_quotesTheEpochColon() {
        // The name `apt-get download busybox-static` gave on this machine.
        assertEquals("busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb",
                PoolPaths.aptDownloadFileName("busybox-static", "1:1.35.0-4+deb12u1+b1", "amd64"));
    }

    @Test
    void poolLocation_rejectsPathsLeavingTheMirror() {
        var ex = assertThrows(IllegalArgumentException.class,
                () -> new PackageLocation.Pool(Archive.DEBIAN, "pool/main/../../etc/passwd.deb"));
        assertEquals("pool path 'pool/main/../../etc/passwd.deb' has an empty, '.' or '..' component", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PackageLocation.Pool(Archive.DEBIAN, "/pool/x.deb"));
        assertThrows(IllegalArgumentException.class, () -> new PackageLocation.Pool(Archive.DEBIAN, "pool/x.tar"));
    }

    @Test
    void pin_rejectsBadNamesVersionsAndDigests() {
        String sha = "e7d02b943971edcb8790e256c02cfab3bca6c3d37c1bf25392a57c71300615ee";
        assertThrows(IllegalArgumentException.class, () -> PackagePin.of("Busybox", "1.0", "amd64", sha, null));
        assertThrows(IllegalArgumentException.class, () -> PackagePin.of("busybox", "v1.0", "amd64", sha, null));
        var ex = assertThrows(IllegalArgumentException.class,
                () -> PackagePin.of("busybox", "1.0", "amd64", sha.substring(1), null));
        assertEquals("sha256 of package busybox must be 64 hex digits, got '" + sha.substring(1) + "'", ex.getMessage());
    }

    @Test
    void mirrorSet_resolvesPoolPathsBelowTheArchiveMirror() {
        var pin = PackagePin.of("ca-certificates", "20250419~deb12u2", "all",
                "b9f76b5271a7ac373fd5e7e1b5b826a71ddd702b42a0d104955ecb1acfffc94b",
                new PackageLocation.Pool(Archive.SECURITY,
                        "pool/updates/main/c/ca-certificates/ca-certificates_20250419~deb12u2_all.deb"));
        assertEquals("https://deb.debian.org/debian-security/pool/updates/main/c/ca-certificates/"
                + "ca-certificates_20250419~deb12u2_all.deb", MirrorSet.DEFAULT.resolve(pin).toString());
    }
}
