package io.cvmboot.uki;

import static io.cvmboot.uki.UkiVectors.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cvmboot.initrd.ArtefactInputException;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.measure.pe.EmbeddedSignature;
import io.cvmboot.measure.pe.PeChecksum;
import io.cvmboot.measure.pe.PeImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures are checked by independent verifiers: sbverify (sbsigntool) and osslsigncode. */
class AuthenticodeSignerTest {
    private static SigningIdentity rsa;
    private static SigningIdentity ec;
    private static byte[] uki;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        rsa = TestSigningKeys.rsa();
        ec = TestSigningKeys.ecP256();
        uki = UkiAssembler.assemble(UkiSpec.builder().stub(resource("stub252.efi")).linux(resource("stub257.efi"))
                .osRelease(resource("os-release")).initrd(resource("initrd-a.bin")).cmdline("console=ttyS0").build()).bytes();
    }

    @Test
    void sign_rsaSha256_acceptedBySbverify() throws Exception {
        assumeTrue(onPath("sbverify"), "sbverify not installed (Debian: apt-get install sbsigntool)");
        Path signed = write("signed.efi", AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA256));
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, TestSigningKeys.certificatePem(rsa), StandardCharsets.US_ASCII);
        Result r = run("sbverify", "--cert", cert.toString(), signed.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Signature verification OK"), r.output());
    }

    @Test
    void sign_withOtherCertificate_rejectedBySbverify() throws Exception {
        // Bad variant: the verifier must not accept a certificate that did not sign.
        assumeTrue(onPath("sbverify"), "sbverify not installed (Debian: apt-get install sbsigntool)");
        Path signed = write("signed.efi", AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA256));
        Path other = dir.resolve("other.pem");
        Files.writeString(other, TestSigningKeys.certificatePem(TestSigningKeys.rsa()), StandardCharsets.US_ASCII);
        Result r = run("sbverify", "--cert", other.toString(), signed.toString());
        assertTrue(r.exit() != 0, r.output());
    }

    @Test
    void sign_tamperedAfterSigning_rejectedBySbverify() throws Exception {
        assumeTrue(onPath("sbverify"), "sbverify not installed (Debian: apt-get install sbsigntool)");
        byte[] signed = AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA256);
        PeImage pe = PeImage.parse("signed", signed);
        signed[(int) pe.section(".cmdline").orElseThrow().pointerToRawData()] ^= 1;
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, TestSigningKeys.certificatePem(rsa), StandardCharsets.US_ASCII);
        Result r = run("sbverify", "--cert", cert.toString(), write("tampered.efi", signed).toString());
        assertTrue(r.exit() != 0, r.output());
    }

    @Test
    void sign_ecdsaSha256_acceptedBySbverify() throws Exception {
        assumeTrue(onPath("sbverify"), "sbverify not installed (Debian: apt-get install sbsigntool)");
        Path signed = write("signed-ec.efi", AuthenticodeSigner.sign("uki", uki, ec, HashAlgorithm.SHA256));
        Path cert = dir.resolve("ec.pem");
        Files.writeString(cert, TestSigningKeys.certificatePem(ec), StandardCharsets.US_ASCII);
        Result r = run("sbverify", "--cert", cert.toString(), signed.toString());
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void sign_sha384_acceptedByOsslsigncodeWithSameDigest() throws Exception {
        assumeTrue(onPath("osslsigncode"), "osslsigncode not installed (Debian: apt-get install osslsigncode)");
        byte[] signed = AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA384);
        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, TestSigningKeys.certificatePem(rsa), StandardCharsets.US_ASCII);
        Result r = run("osslsigncode", "verify", "-in", write("signed384.efi", signed).toString(), "-CAfile", cert.toString());
        assertEquals(0, r.exit(), r.output());
        String expected = Authenticode.digest("uki", uki, HashAlgorithm.SHA384).hex().toUpperCase(java.util.Locale.ROOT);
        assertTrue(r.output().contains("Calculated message digest : " + expected), r.output());
    }

    @Test
    void sign_twice_identicalBytes_andNoSigningTime() throws Exception {
        byte[] a = AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA256);
        byte[] b = AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA256);
        assertArrayEquals(a, b);
        byte[] ea = AuthenticodeSigner.sign("uki", uki, ec, HashAlgorithm.SHA256);
        assertArrayEquals(ea, AuthenticodeSigner.sign("uki", uki, ec, HashAlgorithm.SHA256), "RFC 6979 ECDSA is deterministic");
        // signingTime is OID 1.2.840.113549.1.9.5: 06 09 2a 86 48 86 f7 0d 01 09 05
        String hex = HexFormat.of().formatHex(a);
        assertFalse(hex.contains("06092a864886f70d010905"), "no signingTime attribute");
        assertTrue(hex.contains("06092a864886f70d010904"), "messageDigest attribute present (sanity check of the search)");
    }

    @Test
    void sign_keepsAuthenticodeDigest_embedsIt_andFixesChecksum() throws Exception {
        byte[] signed = AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA256);
        PeImage pe = PeImage.parse("signed", signed);
        var digest = Authenticode.digest("uki", uki, HashAlgorithm.SHA256);
        assertEquals(digest, Authenticode.digest(pe, HashAlgorithm.SHA256));
        assertEquals(List.of(digest), EmbeddedSignature.claimedDigests(pe));
        assertEquals(PeChecksum.compute(pe), pe.optionalHeader().checkSum());
        assertEquals(uki.length, pe.optionalHeader().certificateTable().virtualAddress(), "UKI is already 8-aligned");
        assertEquals(0, pe.optionalHeader().certificateTable().size() % 8);
    }

    @Test
    void sign_unalignedImage_paddedTo8LikeSbsign() throws Exception {
        byte[] stub = resource("stub252.efi"); // 83,297 bytes
        byte[] signed = AuthenticodeSigner.sign("stub", stub, rsa, HashAlgorithm.SHA256);
        PeImage pe = PeImage.parse("signed", signed);
        assertEquals(83304, pe.optionalHeader().certificateTable().virtualAddress());
        // Same digest sbsign signed for this stub (measure/src/test/resources/pe/README.md).
        assertEquals("32cab00c99673e8b50d5d7f7602b2f8fdb5138aba67d1d2e422fdc8464310bc1",
                Authenticode.digest(pe, HashAlgorithm.SHA256).hex());
    }

    @Test
    void sign_alreadySigned_rejected() throws Exception {
        byte[] signed = AuthenticodeSigner.sign("uki", uki, rsa, HashAlgorithm.SHA256);
        ArtefactInputException e = assertThrows(ArtefactInputException.class,
                () -> AuthenticodeSigner.sign("uki.signed", signed, rsa, HashAlgorithm.SHA256));
        assertTrue(e.getMessage().startsWith("uki.signed: expected an unsigned image"), e.getMessage());
    }

    @Test
    void sign_keyNotMatchingCertificate_rejected() throws Exception {
        SigningIdentity mismatched = new SigningIdentity(TestSigningKeys.rsa().key(), rsa.chain());
        ArtefactInputException e = assertThrows(ArtefactInputException.class,
                () -> AuthenticodeSigner.sign("uki", uki, mismatched, HashAlgorithm.SHA256));
        assertTrue(e.getMessage().contains("does not match the certificate"), e.getMessage());
    }

    @Test
    void sign_nonPe_rejected() {
        ArtefactInputException e = assertThrows(ArtefactInputException.class,
                () -> AuthenticodeSigner.sign("notes.txt", resource("os-release"), rsa, HashAlgorithm.SHA256));
        assertTrue(e.getMessage().startsWith("notes.txt: not a PE image"), e.getMessage());
    }

    private Path write(String name, byte[] data) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    record Result(int exit, String output) {}

    static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + String.join(" ", command));
        return new Result(p.exitValue(), out);
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
