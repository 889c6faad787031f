package io.cvmboot.builder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cvmboot.builder.verify.VerifyFixtures;
import io.cvmboot.builder.verify.VerifyFixtures.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    private static List<String> failedNames(Run r) {
        return r.out().lines().filter(l -> l.startsWith("FAIL ")).map(l -> l.substring(5, l.indexOf(':'))).toList();
    }
}
