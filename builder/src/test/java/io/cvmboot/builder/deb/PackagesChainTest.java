package io.cvmboot.builder.deb;

import static io.cvmboot.builder.deb.InReleaseVerifierTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * InRelease → Packages → pinned .deb, with the real bookworm-security files; the expected entries
 * are what {@code apt-cache show} printed for the pinned packages (docs/packages.md).
 */
class PackagesChainTest {
    private static final String INDEX = "bookworm-security_main_binary-amd64_Packages.xz";
    private static final String KERNEL_SHA256 = "e7d02b943971edcb8790e256c02cfab3bca6c3d37c1bf25392a57c71300615ee";
    private static final String KERNEL_PATH =
            "pool/updates/main/l/linux-signed-amd64/linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb";

    private static PackagesIndex index() throws Exception {
        return InReleaseVerifierTest.securityRelease()
                .packagesIndex("main/binary-amd64/Packages.xz", resource(INDEX));
    }

    private static PackagePin kernelPin(String sha256, String path) {
        return PackagePin.of("linux-image-6.1.0-56-cloud-amd64", "6.1.192-2", "amd64", sha256,
                new PackageLocation.Pool(Archive.SECURITY, path));
    }

    @Test
    void pinnedKernel_isVouchedForBySignedIndex() throws Exception {
        PackagesEntry entry = index().requireMatch(kernelPin(KERNEL_SHA256, KERNEL_PATH));
        assertEquals("linux-signed-amd64", entry.source());
        assertEquals(26_713_492, entry.size());
        assertEquals("https://deb.debian.org/debian-security/" + KERNEL_PATH,
                MirrorSet.DEFAULT.resolve(entry.toPin(Archive.SECURITY)).toString());
    }

    @Test
    void caCertificates_poolPathAndDigestFromIndex() throws Exception {
        PackagesEntry entry = index().find("ca-certificates", "20250419~deb12u2", "all").orElseThrow();
        assertEquals("pool/updates/main/c/ca-certificates/ca-certificates_20250419~deb12u2_all.deb", entry.filename());
        assertEquals("b9f76b5271a7ac373fd5e7e1b5b826a71ddd702b42a0d104955ecb1acfffc94b", entry.sha256().hex());
    }

    @Test
    void wrongPin_namesBothDigests() throws Exception {
        String wrong = "0".repeat(64);
        var ex = assertThrows(PackageException.class, () -> index().requireMatch(kernelPin(wrong, KERNEL_PATH)));
        assertEquals("package linux-image-6.1.0-56-cloud-amd64 6.1.192-2 (amd64) is pinned to sha256 " + wrong
                + " but main/binary-amd64/Packages of bookworm-security_InRelease lists sha256 " + KERNEL_SHA256,
                ex.getMessage());
    }

    @Test
    void wrongPoolPath_isRefused() throws Exception {
        String other = "pool/updates/main/l/linux/linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64.deb";
        var ex = assertThrows(PackageException.class, () -> index().requireMatch(kernelPin(KERNEL_SHA256, other)));
        assertEquals("package linux-image-6.1.0-56-cloud-amd64 6.1.192-2 (amd64) is pinned at " + other
                + " but main/binary-amd64/Packages of bookworm-security_InRelease lists it at " + KERNEL_PATH, ex.getMessage());
    }

    @Test
    void tamperedIndex_doesNotMatchTheSignedRelease() throws Exception {
        byte[] xz = resource(INDEX);
        xz[xz.length / 2] ^= 1;
        var ex = assertThrows(PackageException.class, () -> InReleaseVerifierTest.securityRelease()
                .packagesIndex("main/binary-amd64/Packages.xz", xz));
        assertEquals("main/binary-amd64/Packages.xz does not match bookworm-security_InRelease: expected sha256 "
                + "d3a45860a3f001b55d20eb371c8ed4095115c4bf77666c2847bb3c9d0bb46986 and 376904 bytes, got "
                + io.cvmboot.measure.Digest.compute(io.cvmboot.measure.Digest.HashAlgorithm.SHA256, xz).hex()
                + " and 376904 bytes", ex.getMessage());
    }

    @Test
    void unlistedIndex_cannotBeVerified() throws Exception {
        var ex = assertThrows(PackageException.class, () -> InReleaseVerifierTest.securityRelease()
                .packagesIndex("main/binary-riscv64/Packages.xz", resource(INDEX)));
        assertEquals("bookworm-security_InRelease lists neither main/binary-riscv64/Packages.xz nor "
                + "main/binary-riscv64/Packages; the index cannot be verified", ex.getMessage());
    }

    @Test
    void missingPackage_isNamed() throws Exception {
        var pin = PackagePin.of("busybox-static", "1:1.35.0-4+deb12u1+b1", "amd64",
                "3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744", null);
        var ex = assertThrows(PackageException.class, () -> index().requireMatch(pin));
        assertEquals("main/binary-amd64/Packages of bookworm-security_InRelease has no package "
                + "busybox-static 1:1.35.0-4+deb12u1+b1 (amd64)", ex.getMessage());
    }
}
