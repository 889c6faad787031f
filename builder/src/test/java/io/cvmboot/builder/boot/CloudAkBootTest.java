package io.cvmboot.builder.boot;

import static io.cvmboot.builder.testing.Prerequisite.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cvmboot.builder.boot.stage1.Stage1Image;
import io.cvmboot.builder.boot.stage1.Stage1Initrd;
import io.cvmboot.builder.boot.stage1.Stage2Program;
import io.cvmboot.builder.qemu.BootResult;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.testing.Needs;
import io.cvmboot.builder.testing.Tpm2Cli;
import io.cvmboot.builder.verify.AkTestCa;
import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.stage1.tpm.TpmPublicKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stage1 as PID 1 on a vTPM provisioned as a cloud provisions it: before the VM boots, tpm2-tools
 * writes GCE's AK template and certificate into NV, or persists an Azure-style AK and writes its
 * certificate (on a TCP swtpm over the same state that QEMU's swtpm then serves; the certificates
 * from a throw-away CA). The guest's attestation must use that AK, carry that certificate, and pass
 * {@code builder verify-quote --ak-ca} with the CA, and only with it.
 */
@Needs({QEMU, SWTPM, TPM2_TOOLS, OVMF, SYSTEMD_STUB, TEST_KERNEL, STAGE1_IMAGE})
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
        stage2 = Stage2Program.build(work);
        uki = Stage1BootTest.uki(Stage1Initrd.build(Stage1Image.root(), true));
    }

    @Test
    void gceAkTemplateInNv_stage1QuotesWithTheCertifiedAk_verifyQuoteAcceptsItsCaOnly() throws Exception {
        bootAndVerify(this::provisionGceAk, "nv-template 0x01C10003",
                "AK template at NV index 0x01C10003 used; AK certificate at NV index 0x01C10002 matches the AK");
    }

    @Test
    void azurePersistentAk_stage1QuotesWithIt_verifyQuoteAcceptsItsCaOnly() throws Exception {
        bootAndVerify(this::provisionAzureAk, "persistent 0x81000003",
                "AK at persistent handle 0x81000003 used; AK certificate at NV index 0x01C101D0 matches the AK");
    }

    /** Puts a cloud's AK material into a running TCP swtpm; returns the AK certificate it wrote. */
    private interface Provisioning {
        X509Certificate provision(Swtpm swtpm, Tpm2Cli tools, AkTestCa ca) throws Exception;
    }

    private void bootAndVerify(Provisioning provisioning, String akSource, String stage1LogLine) throws Exception {
        AkTestCa ca = AkTestCa.root("Test vTPM AK CA");
        Path state = dir.resolve("tpm");
        try (Swtpm ignored = Swtpm.start(state, true)) {
            // swtpm_setup has written the state (EK certificates, as Stage1BootTest's boots have); stopped at once.
        }
        X509Certificate provisioned;
        try (Swtpm swtpm = Swtpm.startTcp(state)) {
            provisioned = provisioning.provision(swtpm, Tpm2Cli.on(swtpm, dir), ca);
        }

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
        assertTrue(lines.stream().anyMatch(l -> l.contains(stage1LogLine + " (subject CN=vm AK")),
                Stage1BootTest.tail(serial));

        String attestJson = Stage1BootTest.section(lines, "attest");
        JsonNode ak = new ObjectMapper().readTree(attestJson).get("ak");
        assertEquals(akSource, ak.get("source").asText());
        assertArrayEquals(provisioned.getEncoded(), Base64.getDecoder().decode(ak.get("certificate").asText()));
        assertEquals(provisioned.getPublicKey(), TpmPublicKey.toJca(Base64.getDecoder().decode(ak.get("public").asText())));

        Path attest = Files.writeString(dir.resolve("stage1.attest"), attestJson);
        String nonce = nonce(sha, config);
        CliRun ok = verifyQuote(attest, nonce, pem(ca));
        assertEquals(0, ok.code(), ok.output());
        assertTrue(ok.output().contains("PASS ak.certificate: subject CN=vm AK"), ok.output());
        assertTrue(ok.output().contains("(ak.source " + akSource + ")"), ok.output());
        CliRun foreign = verifyQuote(attest, nonce, pem(AkTestCa.root("Test vTPM AK CA")));
        assertEquals(3, foreign.code(), foreign.output());
        assertEquals(List.of("ak.certificate.chain"),
                foreign.output().lines().filter(l -> l.startsWith("FAIL ")).map(l -> l.substring(5, l.indexOf(':')))
                        .toList());
    }

    /** GCE: the ECC AK template into NV 0x01C10003, the certificate of its key into NV 0x01C10002. */
    private X509Certificate provisionGceAk(Swtpm swtpm, Tpm2Cli tools, AkTestCa ca) throws Exception {
        return tools.provisionNvAk(0x01C10003, GCE_ECC_TEMPLATE, 0x01C10002, 128, ca, "vm AK");
    }

    /** Azure: an RSA restricted signing key persisted at 0x81000003, certified into NV 0x01C101D0. */
    private X509Certificate provisionAzureAk(Swtpm swtpm, Tpm2Cli tools, AkTestCa ca) throws Exception {
        X509Certificate certificate = ca.issue("vm AK", tools.persistRsaSigningKey(0x81000003));
        tools.nvWrite(0x01C101D0, certificate.getEncoded(), certificate.getEncoded().length + 64);
        return certificate;
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
