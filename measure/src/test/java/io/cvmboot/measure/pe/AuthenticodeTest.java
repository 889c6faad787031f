package io.cvmboot.measure.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Expected values: osslsigncode 2.9 / sbsign, see src/test/resources/pe/README.md. */
class AuthenticodeTest {
    private static final String STUB252_PADDED_SHA256 = "32cab00c99673e8b50d5d7f7602b2f8fdb5138aba67d1d2e422fdc8464310bc1";
    private static final String STUB252_PADDED_SHA384 =
            "0b4cba7c379b102660124ab6826d57c522d0685508ef7f5772230ee4ca0b7fbd4caee5211cae967812138b9b6a091da2";
    private static final String STUB257_SHA256 = "67bef9a6389a20aed82f1ff17096fb21e28140b7f4456c437cb2f3030a93d5bd";
    private static final String STUB257_SHA384 =
            "e1e48a26ed74f0da6308988d2d77b8e15bdfa537085816d749ce373e2574b824d2ab56d7ce7925060069eb56b2b1c7f9";
    private static final String KERNEL_SHA256 = "5f21ff2c0d5d899842b28a8b19901ba72cf7a7ab93c02a77fadc6ff72be85b31";
    private static final String KERNEL_SHA384 =
            "85ac7473fe81fb47666a5c08d32d8e7a62af347ddae9567dff0781f954a9b06670accfcfa714830329b1e45cfa9e541c";

    @Test
    void digest_stub252PaddedTo8_equalsOsslsigncode() throws Exception {
        byte[] padded = PeVectors.padTo8(PeVectors.resource("stub252.efi"));
        assertEquals(STUB252_PADDED_SHA256, Authenticode.digest("stub", padded, HashAlgorithm.SHA256).hex());
        assertEquals(STUB252_PADDED_SHA384, Authenticode.digest("stub", padded, HashAlgorithm.SHA384).hex());
    }

    @Test
    void digest_unpaddedStub252_differsFromSignersDigest() throws Exception {
        // Bad variant: the 83,297-byte file hashed as is; signers hash it after zero-padding to 8.
        byte[] raw = PeVectors.resource("stub252.efi");
        assertNotEquals(STUB252_PADDED_SHA256, Authenticode.digest("stub", raw, HashAlgorithm.SHA256).hex());
    }

    @Test
    void digest_sbsignedStub_equalsUnsignedPaddedDigest() throws Exception {
        byte[] signed = PeVectors.resource("stub252-sbsign.efi");
        assertEquals(STUB252_PADDED_SHA256, Authenticode.digest("signed", signed, HashAlgorithm.SHA256).hex());
        byte[] signed384 = PeVectors.resource("stub252-osslsigncode-sha384.efi");
        assertEquals(STUB252_PADDED_SHA384, Authenticode.digest("signed", signed384, HashAlgorithm.SHA384).hex());
    }

    @Test
    void digest_stub257_equalsOsslsigncode() throws Exception {
        byte[] stub = PeVectors.resource("stub257.efi");
        assertEquals(STUB257_SHA256, Authenticode.digest("stub257", stub, HashAlgorithm.SHA256).hex());
        assertEquals(STUB257_SHA384, Authenticode.digest("stub257", stub, HashAlgorithm.SHA384).hex());
    }

    @Test
    void digest_debianSignedKernel_equalsEmbeddedDigestAndOsslsigncode() throws Exception {
        var kernel = PeVectors.testKernel();
        assumeTrue(kernel.isPresent(), "test kernel absent: run ci/fetch-test-kernel.sh (or set CVMBOOT_TEST_KERNEL_DIR)");
        PeImage pe = PeImage.parse("vmlinuz", Files.readAllBytes(kernel.get()));
        Digest sha256 = Authenticode.digest(pe, HashAlgorithm.SHA256);
        assertEquals(KERNEL_SHA256, sha256.hex());
        assertEquals(KERNEL_SHA384, Authenticode.digest(pe, HashAlgorithm.SHA384).hex());
        assertEquals(java.util.List.of(sha256), EmbeddedSignature.claimedDigests(pe));
    }

    @Test
    void digest_changesWhenASectionByteChanges() throws Exception {
        byte[] b = PeVectors.padTo8(PeVectors.resource("stub252.efi"));
        PeImage pe = PeImage.parse("stub", b);
        b[(int) pe.section(".text").orElseThrow().pointerToRawData() + 100] ^= 1;
        assertNotEquals(STUB252_PADDED_SHA256, Authenticode.digest("tampered", b, HashAlgorithm.SHA256).hex());
    }

    @Test
    void digest_ignoresCheckSumAndCertificateEntry() throws Exception {
        byte[] b = PeVectors.padTo8(PeVectors.resource("stub252.efi"));
        PeImage pe = PeImage.parse("stub", b);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(pe.checkSumOffset(), 0x12345678);
        // A certificate-table entry of size 0 but a non-zero offset: hashed bytes unchanged.
        buf.putInt(pe.dataDirectoryOffset(DataDirectory.CERTIFICATE_TABLE), 0x1234);
        assertEquals(STUB252_PADDED_SHA256, Authenticode.digest("stub", b, HashAlgorithm.SHA256).hex());
    }

    @Test
    void digest_timeDateStampIsHashed() throws Exception {
        byte[] b = PeVectors.padTo8(PeVectors.resource("stub252.efi"));
        PeImage pe = PeImage.parse("stub", b);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(pe.coffHeaderOffset() + CoffHeader.OFFSET_TIME_DATE_STAMP, 1);
        assertNotEquals(STUB252_PADDED_SHA256, Authenticode.digest("stub", b, HashAlgorithm.SHA256).hex());
    }

    @Test
    void digest_certificateTableLargerThanTrailer_rejected() throws Exception {
        byte[] b = PeVectors.resource("stub252-sbsign.efi");
        PeImage pe = PeImage.parse("signed", b);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(pe.dataDirectoryOffset(DataDirectory.CERTIFICATE_TABLE) + 4, 0x100000);
        MeasureException e = assertThrows(MeasureException.class,
                () -> Authenticode.digest("signed", b, HashAlgorithm.SHA256));
        assertTrue(e.getMessage().startsWith("signed: certificate table"), e.getMessage());
    }
}
