package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.builder.qemu.Swtpm;
import io.cvmboot.builder.testing.Tpm2Cli;
import io.cvmboot.builder.verify.AkTestCa;
import io.cvmboot.builder.verify.VerifyFixtures;
import io.cvmboot.builder.verify.VerifyFixtures.Run;
import io.cvmboot.stage1.attest.Attestation;
import io.cvmboot.stage1.attest.AttestationJson;
import io.cvmboot.stage1.attest.Attestor;
import io.cvmboot.stage1.tpm.AkTemplate;
import io.cvmboot.stage1.tpm.TcpTransport;
import io.cvmboot.stage1.tpm.Tpm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The swtpm quotes of measure/src/test/resources/quote in the stage1 attestation file format. */
class VerifyQuoteCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void attestationFile_verifiesAgainstExpected(String kind) throws Exception {
        String attest = VerifyFixtures.file(dir, kind + "-stage1.attest");
        String nonce = new ObjectMapper().readTree(Files.readAllBytes(Path.of(attest))).get("nonce").asText();
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest, "--expected",
                VerifyFixtures.file(dir, "expected-measurement.json"), "--nonce", nonce);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("PASS pcr.sha256.14"));
        assertTrue(r.out().contains("PASS eventlog.sha256.4"));
    }

    /** Files written by cvmboot's stage1 itself (--attest, swtpm with EK certificates). */
    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void stage1WrittenAttestation_verifies(String kind) throws Exception {
        String attest = VerifyFixtures.file(dir, "stage1-" + kind + ".attest");
        String expected = VerifyFixtures.file(dir, "stage1-expected-measurement.json");
        // stage1 --attest CHALLENGE quotes with nonce SHA-256(CHALLENGE).
        String nonce = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("cvmboot-report-fixture".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        Run ok = VerifyFixtures.run("verify-quote", "--attestation", attest, "--expected", expected, "--nonce", nonce);
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        Run stale = VerifyFixtures.run("verify-quote", "--attestation", attest, "--expected", expected, "--nonce",
                "11".repeat(32));
        assertEquals(3, stale.exitCode());
        assertEquals(List.of("quote.nonce"), failedNames(stale));
    }

    @org.junit.jupiter.api.Test
    void realBootEventLog_verifiesAgainstTheRealGuestsPcrs() throws Exception {
        Run r = VerifyFixtures.run("verify-quote", "--attestation", VerifyFixtures.file(dir, "boot-ecc-stage1.attest"),
                "--expected", VerifyFixtures.file(dir, "boot-expected-measurement.json"));
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertEquals(10, r.out().lines().filter(l -> l.startsWith("PASS eventlog.sha256.")).count(), r.out());
        assertEquals(13, r.out().lines().filter(l -> l.startsWith("PASS pcr.sha256.")).count(), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void tamperedPcrValue_exit3(String kind) throws Exception {
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(VerifyFixtures.bytes(kind + "-stage1.attest"));
        ((ObjectNode) doc.get("pcrs").get("sha256")).put("14", "00".repeat(32));
        Path attest = dir.resolve("tampered.attest");
        Files.write(attest, new ObjectMapper().writeValueAsBytes(doc));
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--expected",
                VerifyFixtures.file(dir, "expected-measurement.json"));
        assertEquals(3, r.exitCode());
        assertEquals(List.of("quote.pcr-digest"), failedNames(r));
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("PASS pcr.")), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void tamperedEventLog_exit3(String kind) throws Exception {
        byte[] log = VerifyFixtures.bytes("eventlog.bin");
        log[log.length - 20] ^= 0x01; // inside the last event's data: a label, so the log still replays...
        byte[] digestFlipped = VerifyFixtures.bytes("eventlog.bin");
        // ...and a flipped digest byte of the first real event (PCR 4): header is 32 + size bytes, then
        // pcr, type, count (12 bytes) and the sha1 entry (2 + 20), then the sha256 alg id (2).
        int header = 32 + java.nio.ByteBuffer.wrap(digestFlipped, 28, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        digestFlipped[header + 12 + 22 + 2] ^= 0x01;
        Path logFile = dir.resolve("eventlog.bin");
        Files.write(logFile, digestFlipped);
        Run r = VerifyFixtures.run("verify-quote", "--attestation", VerifyFixtures.file(dir, kind + "-stage1.attest"),
                "--eventlog", logFile.toString(), "--expected", VerifyFixtures.file(dir, "expected-measurement.json"));
        assertEquals(3, r.exitCode(), r.out());
        assertEquals(List.of("eventlog.sha256.4"), failedNames(r));
        Files.write(logFile, log);
        Run labelOnly = VerifyFixtures.run("verify-quote", "--attestation", VerifyFixtures.file(dir, kind + "-stage1.attest"),
                "--eventlog", logFile.toString(), "--expected", VerifyFixtures.file(dir, "expected-measurement.json"));
        assertEquals(0, labelOnly.exitCode(), "event data is not measured: only digests must match\n" + labelOnly.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void wrongNonce_exit3(String kind) throws Exception {
        Run r = VerifyFixtures.run("verify-quote", "--attestation", VerifyFixtures.file(dir, kind + "-stage1.attest"),
                "--nonce", "00".repeat(32));
        assertEquals(3, r.exitCode());
        assertEquals(List.of("quote.nonce"), failedNames(r));
        assertTrue(r.err().contains("no --expected"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void missingQuoteField_exit2NamingIt(String kind) throws Exception {
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(VerifyFixtures.bytes(kind + "-stage1.attest"));
        ((ObjectNode) doc.get("quote")).remove("signature");
        Path attest = dir.resolve("broken.attest");
        Files.write(attest, new ObjectMapper().writeValueAsBytes(doc));
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("quote.signature"), r.err());
    }

    // ---- cloud-certified AKs: the real stage1 attestations above with an AK certificate added, as stage1 writes
    // it on a vTPM with a provisioned AK template (ak.source, ak.certificate), issued by a throw-away CA.

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void akCertificate_rightCa_verifiesAndPrintsSubjectAndIssuer(String kind) throws Exception {
        AkTestCa ca = AkTestCa.root("Test AK CA");
        Path attest = withAkCertificate(kind, ca.issue("test-vm AK", akKey(kind)).getEncoded());
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--nonce", fixtureNonce(),
                "--ak-ca", pem(ca));
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("PASS ak.certificate: subject CN=test-vm AK, issuer CN=Test AK CA,O=cvmboot test"),
                r.out());
        assertTrue(r.out().contains("its key is the AK (ak.source nv-template 0x01C10003)"), r.out());
        assertTrue(r.out().contains("PASS ak.certificate.chain: chains to CN=Test AK CA,O=cvmboot test"), r.out());
        // Placed after the AK's own checks, before the quote's.
        List<String> names = r.out().lines().map(l -> l.substring(5, Math.max(5, l.indexOf(':')))).toList();
        assertEquals(List.of("ak.public", "ak.spki", "ak.certificate", "ak.certificate.chain", "quote.signature"),
                names.subList(0, 5));
    }

    @Test
    void akCertificate_foreignCa_exit3() throws Exception {
        AkTestCa issuer = AkTestCa.root("Test AK CA");
        AkTestCa foreign = AkTestCa.root("Test AK CA"); // same name, other key
        Path attest = withAkCertificate("ecc", issuer.issue("test-vm AK", akKey("ecc")).getEncoded());
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--ak-ca", pem(foreign));
        assertEquals(3, r.exitCode(), r.out());
        assertEquals(List.of("ak.certificate.chain"), failedNames(r));
        assertTrue(r.out().contains("PASS ak.certificate:"), "the key still matches: " + r.out());
    }

    @Test
    void akCertificate_overAnotherKey_exit3() throws Exception {
        AkTestCa ca = AkTestCa.root("Test AK CA");
        Path attest = withAkCertificate("ecc", ca.issue("not this AK", AkTestCa.newEcKey().getPublic()).getEncoded());
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--ak-ca", pem(ca));
        assertEquals(3, r.exitCode(), r.out());
        assertEquals(List.of("ak.certificate"), failedNames(r));
        assertTrue(r.out().contains("FAIL ak.certificate: expected a certificate over the AK that signed the quote"),
                r.out());
        Run withoutCa = VerifyFixtures.run("verify-quote", "--attestation", attest.toString());
        assertEquals(3, withoutCa.exitCode(), "the key check needs no CA: " + withoutCa.out());
    }

    @Test
    void akCertificate_rsaAkCertificateOnEccAttestation_exit3() throws Exception {
        AkTestCa ca = AkTestCa.root("Test AK CA");
        Path attest = withAkCertificate("ecc", ca.issue("rsa AK", akKey("rsa")).getEncoded());
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString());
        assertEquals(List.of("ak.certificate"), failedNames(r));
    }

    @Test
    void akCa_attestationWithoutCertificate_exit3() throws Exception {
        Run r = VerifyFixtures.run("verify-quote", "--attestation", VerifyFixtures.file(dir, "stage1-ecc.attest"),
                "--nonce", fixtureNonce(), "--ak-ca", pem(AkTestCa.root("Test AK CA")));
        assertEquals(3, r.exitCode(), r.out());
        assertEquals(List.of("ak.certificate"), failedNames(r));
        assertTrue(r.out().contains("found none in the attestation"), r.out());
    }

    @Test
    void akCertificate_withoutAkCa_keyCheckedAndIssuerNotVerifiedSaid() throws Exception {
        AkTestCa ca = AkTestCa.root("Test AK CA");
        Path attest = withAkCertificate("ecc", ca.issue("test-vm AK", akKey("ecc")).getEncoded());
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--nonce", fixtureNonce());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("PASS ak.certificate: subject CN=test-vm AK"), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.contains("ak.certificate.chain")), r.out());
        assertTrue(r.err().contains("no --ak-ca"), r.err());
    }

    @Test
    void noCertificateNoAkCa_noAkCertificateChecks() throws Exception {
        Run r = VerifyFixtures.run("verify-quote", "--attestation", VerifyFixtures.file(dir, "stage1-ecc.attest"),
                "--nonce", fixtureNonce());
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.contains("ak.certificate")), r.out());
        assertTrue(!r.err().contains("--ak-ca"), r.err());
    }

    @Test
    void akCertificate_intermediateCa_needsTheIntermediateInAkCa() throws Exception {
        AkTestCa root = AkTestCa.root("Test EK/AK CA Root");
        AkTestCa intermediate = root.intermediate("Test EK/AK CA Intermediate");
        Path attest = withAkCertificate("ecc", intermediate.issue("test-vm AK", akKey("ecc")).getEncoded());
        Path bundle = dir.resolve("root-and-intermediate.pem");
        Files.writeString(bundle, root.pem() + intermediate.pem(), StandardCharsets.US_ASCII);
        Run ok = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--ak-ca", bundle.toString());
        assertEquals(0, ok.exitCode(), ok.out());
        assertTrue(ok.out().contains("chains to CN=Test EK/AK CA Root,O=cvmboot test"), ok.out());
        Run rootOnly = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--ak-ca", pem(root));
        assertEquals(List.of("ak.certificate.chain"), failedNames(rootOnly));
    }

    @Test
    void akCertificate_expired_chainFails() throws Exception {
        AkTestCa ca = AkTestCa.root("Test AK CA");
        Instant now = Instant.now();
        Path attest = withAkCertificate("ecc", ca.issue("old AK", akKey("ecc"), now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1))).getEncoded());
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--ak-ca", pem(ca));
        assertEquals(List.of("ak.certificate.chain"), failedNames(r));
    }

    @Test
    void akCertificate_json_carriesTheChecks() throws Exception {
        AkTestCa ca = AkTestCa.root("Test AK CA");
        Path attest = withAkCertificate("ecc", ca.issue("test-vm AK", akKey("ecc")).getEncoded());
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--ak-ca", pem(ca), "--json");
        var doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("verified").asBoolean(), r.out());
        assertEquals("ak.certificate.chain", doc.get("checks").get(3).get("name").asText());
    }

    @Test
    void akCertificate_notACertificate_exit2NamingTheField() throws Exception {
        Path attest = withAkCertificate("ecc", "not DER".getBytes(StandardCharsets.US_ASCII));
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("ak.certificate"), r.err());
    }

    @Test
    void akCertificate_trailingBytes_exit2() throws Exception {
        AkTestCa ca = AkTestCa.root("Test AK CA");
        byte[] der = ca.issue("test-vm AK", akKey("ecc")).getEncoded();
        Path attest = withAkCertificate("ecc", java.util.Arrays.copyOf(der, der.length + 4));
        Run r = VerifyFixtures.run("verify-quote", "--attestation", attest.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("expected exactly one DER certificate at ak.certificate"), r.err());
    }

    @Test
    void akCa_fileWithoutCertificates_exit2() throws Exception {
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "no certificates here\n", StandardCharsets.US_ASCII);
        Run r = VerifyFixtures.run("verify-quote", "--attestation", VerifyFixtures.file(dir, "stage1-ecc.attest"),
                "--ak-ca", empty.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("empty.pem"), r.err());
    }

    /**
     * End to end: stage1's Attestor on swtpm with a GCE-style ECC AK template and certificate provisioned by
     * tpm2-tools (platform auth), its JSON verified here with the issuing CA and refused with another.
     */
    @Test
    void stage1CloudAk_endToEnd_verifiesWithItsCaOnly() throws Exception {
        Assumptions.assumeTrue(Swtpm.available(), "swtpm not on PATH (Debian: apt-get install swtpm)");
        // TPMT_PUBLIC: ECC, SHA-256, restricted signing (0x00050072), no policy, symmetric NULL, ECDSA/SHA-256,
        // P-256, KDF NULL, unique x = 32 bytes of 0x42 (so the key differs from stage1's own), y empty.
        byte[] template = java.util.HexFormat.of().parseHex("0023000b00050072" + "0000"
                + "0010" + "0018000b" + "0003" + "0010" + "0020" + "42".repeat(32) + "0000");
        AkTestCa ca = AkTestCa.root("Test EK/AK CA");
        byte[] challenge = "end-to-end".getBytes(StandardCharsets.US_ASCII);
        byte[] nonce = java.security.MessageDigest.getInstance("SHA-256").digest(challenge);
        Path attest = dir.resolve("cloud.attest");
        try (Swtpm swtpm = Swtpm.startTcp(dir.resolve("tpm"))) {
            Tpm2Cli tools = Tpm2Cli.on(swtpm, dir);
            tools.provisionNvAk(0x01C10003, template, 0x01C10002, 200, ca, "end-to-end AK");
            try (Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
                Attestation a = new Attestor(tpm, io.cvmboot.stage1.Log.NONE).attest(nonce, AkTemplate.ECC_P256,
                        tpm.allocatedBanks(), null, null, null);
                Files.write(attest, AttestationJson.toJson(a));
            }
        }
        String hexNonce = java.util.HexFormat.of().formatHex(nonce);
        Run ok = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--nonce", hexNonce,
                "--ak-ca", pem(ca));
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("PASS ak.certificate: subject CN=end-to-end AK"), ok.out());
        assertTrue(ok.out().contains("(ak.source nv-template 0x01C10003)"), ok.out());
        Run foreign = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--nonce", hexNonce,
                "--ak-ca", pem(AkTestCa.root("Test EK/AK CA")));
        assertEquals(3, foreign.exitCode(), foreign.out());
        assertEquals(List.of("ak.certificate.chain"), failedNames(foreign));
    }

    /**
     * End to end as on Azure: an RSA AK persisted at 0x81000003 and its certificate at NV 0x01C101D0,
     * both provisioned by tpm2-tools (owner auth for evictcontrol, platform auth for NV); stage1's
     * Attestor quotes with the persisted key and verify-quote accepts it with the issuing CA.
     */
    @Test
    void stage1AzurePersistentAk_endToEnd_verifiesWithItsCa() throws Exception {
        Assumptions.assumeTrue(Swtpm.available(), "swtpm not on PATH (Debian: apt-get install swtpm)");
        AkTestCa ca = AkTestCa.root("Test vTPM CA");
        byte[] nonce = java.security.MessageDigest.getInstance("SHA-256")
                .digest("azure end-to-end".getBytes(StandardCharsets.US_ASCII));
        Path attest = dir.resolve("azure.attest");
        try (Swtpm swtpm = Swtpm.startTcp(dir.resolve("tpm"))) {
            Tpm2Cli tools = Tpm2Cli.on(swtpm, dir);
            byte[] cert = ca.issue("azure AK", tools.persistRsaSigningKey(0x81000003)).getEncoded();
            tools.nvWrite(0x01C101D0, cert, cert.length + 100);
            try (Tpm tpm = new Tpm(TcpTransport.connect("127.0.0.1", swtpm.port()))) {
                Attestation a = new Attestor(tpm, io.cvmboot.stage1.Log.NONE).attest(nonce, AkTemplate.ECC_P256,
                        tpm.allocatedBanks(), null, null, null);
                Files.write(attest, AttestationJson.toJson(a));
            }
        }
        Run ok = VerifyFixtures.run("verify-quote", "--attestation", attest.toString(), "--nonce",
                java.util.HexFormat.of().formatHex(nonce), "--ak-ca", pem(ca));
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("PASS ak.certificate: subject CN=azure AK"), ok.out());
        assertTrue(ok.out().contains("(ak.source persistent 0x81000003)"), ok.out());
    }

    /** The nonce of the stage1-*.attest fixtures: stage1 --attest cvmboot-report-fixture. */
    private static String fixtureNonce() throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("cvmboot-report-fixture".getBytes(StandardCharsets.US_ASCII)));
    }

    /** The AK of stage1-KIND.attest, from its ak.spki. */
    private static PublicKey akKey(String kind) throws Exception {
        byte[] spki = Base64.getDecoder().decode(new ObjectMapper().readTree(VerifyFixtures.bytes("stage1-" + kind
                + ".attest")).get("ak").get("spki").asText());
        return KeyFactory.getInstance(kind.equals("ecc") ? "EC" : "RSA").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** stage1-KIND.attest with ak.source and ak.certificate as stage1 writes them for GCE's ECC template. */
    private Path withAkCertificate(String kind, byte[] certificate) throws Exception {
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(VerifyFixtures.bytes("stage1-" + kind + ".attest"));
        ObjectNode ak = (ObjectNode) doc.get("ak");
        ak.put("source", "nv-template 0x01C10003");
        ak.put("certificate", Base64.getEncoder().encodeToString(certificate));
        Path attest = dir.resolve("certified-" + kind + ".attest");
        Files.write(attest, new ObjectMapper().writeValueAsBytes(doc));
        return attest;
    }

    private String pem(AkTestCa ca) throws Exception {
        Path file = Files.createTempFile(dir, "ak-ca-", ".pem");
        Files.writeString(file, ca.pem(), StandardCharsets.US_ASCII);
        return file.toString();
    }

    private static List<String> failedNames(Run r) {
        return r.out().lines().filter(l -> l.startsWith("FAIL ")).map(l -> l.substring(5, l.indexOf(':'))).toList();
    }
}
