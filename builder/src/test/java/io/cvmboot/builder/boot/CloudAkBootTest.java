package io.cvmboot.builder.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.boot.stage1.Stage1Image;
import io.cvmboot.builder.boot.stage1.Stage1Initrd;
import io.cvmboot.builder.boot.stage1.Stage2Program;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Qemu;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.testing.TestKernel;
import io.cvmboot.builder.testing.Tpm2Cli;
import io.cvmboot.builder.verify.AkTestCa;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.tpm.CreatedKey;
import io.cvmboot.stage1.tpm.TcpTransport;
import io.cvmboot.stage1.tpm.Tpm;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stage1 as PID 1 on a vTPM provisioned as GCE provisions its Shielded VMs: before the VM boots,
 * tpm2-tools writes an ECC AK template into NV 0x01C10003 and a certificate from a throw-away CA over
 * the key that template yields into NV 0x01C10002 (on a TCP swtpm over the same state that QEMU's
 * swtpm then serves). The guest's attestation must use that AK, carry that certificate, and pass
 * {@code builder verify-quote --ak-ca} with the CA, and only with it.
 */
class CloudAkBootTest {
    /**
     * TPMT_PUBLIC: ECC, SHA-256, restricted signing (0x00050072), no policy, symmetric NULL,
     * ECDSA/SHA-256, P-256, KDF NULL, unique x = 32 bytes of 0x42 (so the key differs from stage1's
     * own AK), y empty. Part 2, 12.2.4; the same template as VerifyQuoteCommandTest's end-to-end test.
     */
    private static final byte[] GCE_ECC_TEMPLATE = HexFormat.of().parseHex("0023000b00050072" + "0000"
            + "0010" + "0018000b" + "0003" + "0010" + "0020" + "42".repeat(32) + "0000");

    private static byte[] uki;
    private static byte[] stage2;

    @TempDir
    Path dir;

    @BeforeAll
    static void build(@TempDir Path work) throws Exception {
        assumeTrue(Qemu.available(), "qemu-system-x86_64 not installed (Debian: apt-get install qemu-system-x86)");
        assumeTrue(Swtpm.available(), "swtpm not installed (Debian: apt-get install swtpm swtpm-tools)");
        assumeTrue(Tpm2Cli.onPath("tpm2_nvdefine"), "tpm2-tools not on PATH (Debian: apt-get install tpm2-tools)");
        assumeTrue(Files.isRegularFile(Stage1BootTest.OVMF_CODE) && Files.isRegularFile(Stage1BootTest.OVMF_VARS),
                "OVMF absent (Debian: apt-get install ovmf)");
        assumeTrue(Files.isRegularFile(Stage1BootTest.STUB), "systemd-stub absent (Debian: apt-get install systemd-boot-efi)");
        TestKernel.assume();
        stage2 = Stage2Program.build(work);
        uki = Stage1BootTest.uki(Stage1Initrd.build(Stage1Image.root(), true));
    }

    @Test
    void gceAkTemplateInNv_stage1QuotesWithTheCertifiedAk_verifyQuoteAcceptsItsCaOnly() throws Exception {
        AkTestCa ca = AkTestCa.root("Test GCE EK/AK CA");
        Path state = dir.resolve("tpm");
        X509Certificate provisioned = provisionGceAk(state, ca);
        byte[] certificate = provisioned.getEncoded();

        String sha = Digest.compute(HashAlgorithm.SHA256, stage2).hex();
        byte[] config = Stage1BootTest.config(sha);
        BootResult r;
        // Not manufactured again: the QEMU-facing swtpm serves the state provisioned above.
        try (Swtpm tpm = Swtpm.start(state, false)) {
            r = Stage1BootTest.boot(dir, uki, config, stage2, tpm, "STAGE2-DONE");
        }
        String serial = r.serial();
        assertTrue(r.stopped(), "stage2 did not finish (timed out: " + r.timedOut() + ")\nQEMU: " + r.qemuErrors()
                + "\nserial:\n" + Stage1BootTest.tail(serial));
        List<String> lines = r.serialLines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("AK template at NV index 0x01C10003 used; AK certificate at "
                + "NV index 0x01C10002 matches the AK (subject CN=gce-vm AK")), Stage1BootTest.tail(serial));

        String attestJson = Stage1BootTest.section(lines, "attest");
        JsonNode ak = new ObjectMapper().readTree(attestJson).get("ak");
        assertEquals("nv-template 0x01C10003", ak.get("source").asText());
        assertArrayEquals(certificate, Base64.getDecoder().decode(ak.get("certificate").asText()));
        assertEquals(provisioned.getPublicKey(), TpmPublicKey.toJca(Base64.getDecoder().decode(ak.get("public").asText())));

        Path attest = Files.writeString(dir.resolve("stage1.attest"), attestJson);
        String nonce = nonce(sha, config);
        CliRun ok = verifyQuote(attest, nonce, pem(ca));
        assertEquals(0, ok.code(), ok.output());
        assertTrue(ok.output().contains("PASS ak.certificate: subject CN=gce-vm AK"), ok.output());
        assertTrue(ok.output().contains("(ak.source nv-template 0x01C10003)"), ok.output());
        CliRun foreign = verifyQuote(attest, nonce, pem(AkTestCa.root("Test GCE EK/AK CA")));
        assertEquals(3, foreign.code(), foreign.output());
        assertEquals(List.of("ak.certificate.chain"),
                foreign.output().lines().filter(l -> l.startsWith("FAIL ")).map(l -> l.substring(5, l.indexOf(':')))
                        .toList());
    }

    /**
     * Manufactures the vTPM (EK certificates, as Stage1BootTest's boots have), then writes the AK
     * template, learns the key it yields (a primary key is a function of template and endorsement
     * seed, so the guest's TPM2_CreatePrimary will yield the same) and writes its certificate.
     */
    private X509Certificate provisionGceAk(Path state, AkTestCa ca) throws Exception {
        try (Swtpm ignored = Swtpm.start(state, true)) {
            // swtpm_setup has written the state; this instance is stopped at once.
        }
        try (Swtpm swtpm = Swtpm.startTcp(state)) {
            Tpm2Cli tools = Tpm2Cli.on(swtpm, dir);
            tools.nvWrite(0x01C10003, GCE_ECC_TEMPLATE, GCE_ECC_TEMPLATE.length);
            PublicKey akKey;
            try (Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
                CreatedKey probe = tpm.createPrimary(Tpm.TPM_RH_ENDORSEMENT, GCE_ECC_TEMPLATE);
                tpm.flush(probe.handle());
                akKey = TpmPublicKey.toJca(probe.publicArea());
            }
            X509Certificate certificate = ca.issue("gce-vm AK", akKey);
            // GCE's certificate index is larger than its certificate; stage1 trims to the DER length.
            tools.nvWrite(0x01C10002, certificate.getEncoded(), certificate.getEncoded().length + 128);
            return certificate;
        }
    }

    /** stage1's nonce: SHA-256(stage2 sha256 || SHA-256(config)), as docs/stage1.md defines it. */
    private static String nonce(String stage2Sha, byte[] config) throws Exception {
        MessageDigest n = MessageDigest.getInstance("SHA-256");
        n.update(HexFormat.of().parseHex(stage2Sha));
        n.update(Digest.compute(HashAlgorithm.SHA256, config).bytes());
        return HexFormat.of().formatHex(n.digest());
    }

    private String pem(AkTestCa ca) throws Exception {
        Path file = Files.createTempFile(dir, "ak-ca-", ".pem");
        Files.writeString(file, ca.pem(), StandardCharsets.US_ASCII);
        return file.toString();
    }

    private record CliRun(int code, String output) {}

    private static CliRun verifyQuote(Path attestation, String nonce, String caPem) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = io.cvmboot.builder.Main.run(new PrintWriter(out), new PrintWriter(err), "verify-quote",
                "--attestation", attestation.toString(), "--nonce", nonce, "--ak-ca", caPem);
        return new CliRun(code, out + "\n" + err);
    }
}
