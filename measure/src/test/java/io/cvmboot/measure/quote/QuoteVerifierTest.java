package io.cvmboot.measure.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.report.Check;
import io.cvmboot.measure.report.VerificationResult;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quotes made by swtpm 0.7.1 + tpm2-tools 5.4 (src/test/resources/quote/generate.sh): an ECC P-256
 * and an RSA-2048 restricted signing key quoting sha256:0-15 after the event log's events and the
 * stage1 PCR 14/15 extensions. The prediction was computed by make_attestation.py from the data.
 */
class QuoteVerifierTest {
    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void swtpmQuote_verifiesAgainstPrediction(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        VerificationResult r = QuoteVerifier.verify(ev,
                new QuoteExpectations(Optional.of(ev.nonce()), QuoteFixtures.expected()));
        assertEquals(List.of(), r.failures(), r.checks()::toString);
        assertTrue(r.passed());
        List<String> passed = r.checks().stream().filter(Check::isPassed).map(Check::name).toList();
        assertTrue(passed.containsAll(List.of("quote.signature", "quote.pcr-digest", "quote.nonce", "eventlog.sha256.4",
                "eventlog.sha256.9", "stage1.stage2", "stage1.config", "pcr.sha256.4", "pcr.sha256.14",
                "pcr.sha256.15")), passed::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void tamperedPcrValue_failsPcrDigestOnly(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        QuoteEvidence tampered = ev.withPcrs(QuoteFixtures.replace(ev.pcrs(), HashAlgorithm.SHA256, 4,
                Digest.compute(HashAlgorithm.SHA256, "other".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        VerificationResult r = QuoteVerifier.verify(tampered,
                new QuoteExpectations(Optional.of(ev.nonce()), QuoteFixtures.expected()));
        assertEquals(List.of("quote.pcr-digest"), r.failedNames());
        assertFalse(r.checks().stream().anyMatch(c -> c.isPassed() && c.name().startsWith("pcr.")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void flippedAttestByte_failsSignature(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        byte[] attest = ev.attest();
        for (int offset : new int[] {0, 6, 40, attest.length - 1}) {
            byte[] bad = attest.clone();
            bad[offset] ^= 0x01;
            QuoteEvidence tampered = new QuoteEvidence(ev.nonce(), ev.pcrs(), ev.declaredSelection(), bad,
                    ev.signature(), ev.akPublic(), ev.akSpki(), ev.eventLog(), ev.stage2Sha256(), ev.configSha256());
            VerificationResult r = QuoteVerifier.verify(tampered, new QuoteExpectations(Optional.empty(),
                    QuoteFixtures.expected()));
            assertEquals(List.of("quote.signature"), r.failedNames(), "offset " + offset);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void tamperedEventLog_failsReplayOfThatPcr(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        byte[] log = ev.eventLog().orElseThrow();
        // Flip one bit of the last record's sha256 digest (PCR 9's tagged event). Record layout:
        // pcr, type, count, then {alg, digest} for sha1, sha256, ... (TCG PC Client FP Profile 10.2.2).
        int lastRecord = lastRecordOffset(log);
        int sha256Digest = lastRecord + 12 + 2 + 20 + 2;
        log[sha256Digest] ^= 0x01;
        VerificationResult r = QuoteVerifier.verify(ev.withEventLog(log),
                new QuoteExpectations(Optional.of(ev.nonce()), QuoteFixtures.expected()));
        assertEquals(List.of("eventlog.sha256.9"), r.failedNames());
        assertTrue(r.failures().get(0).detail().contains("(quoted)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void wrongNonce_failsNonceOnly(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        byte[] wrong = new byte[32];
        VerificationResult r = QuoteVerifier.verify(ev, new QuoteExpectations(Optional.of(wrong), QuoteFixtures.expected()));
        assertEquals(List.of("quote.nonce"), r.failedNames());
        assertEquals("expected " + "00".repeat(32) + ", found " + HexFormat.of().formatHex(ev.nonce()),
                r.failures().get(0).detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void predictionDiffers_failsThatPcrOnly(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        Digest other = Digest.compute(HashAlgorithm.SHA256, new byte[] {1});
        var prediction = QuoteFixtures.replace(QuoteFixtures.expected(), HashAlgorithm.SHA256, 14, other);
        VerificationResult r = QuoteVerifier.verify(ev, new QuoteExpectations(Optional.of(ev.nonce()), prediction));
        assertEquals(List.of("pcr.sha256.14"), r.failedNames());
        assertTrue(r.failures().get(0).detail().startsWith("expected " + other.hex() + ", found b3913c56"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void otherKeysSpki_failsAkSpki(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        QuoteEvidence swapped = new QuoteEvidence(ev.nonce(), ev.pcrs(), ev.declaredSelection(), ev.attest(),
                ev.signature(), ev.akPublic(), Optional.of(QuoteFixtures.bytes(kind + "-ak.der")), ev.eventLog(),
                ev.stage2Sha256(), ev.configSha256());
        assertTrue(QuoteVerifier.verify(swapped, new QuoteExpectations(Optional.empty(), QuoteFixtures.expected()))
                .passed());
        // The ECC fixture's AK presented with the RSA fixture's AK: the signature cannot verify.
        String other = kind.equals("ecc") ? "rsa" : "ecc";
        QuoteEvidence foreign = new QuoteEvidence(ev.nonce(), ev.pcrs(), ev.declaredSelection(), ev.attest(),
                ev.signature(), QuoteFixtures.evidence(other).akPublic(), Optional.empty(), ev.eventLog(),
                ev.stage2Sha256(), ev.configSha256());
        assertEquals(List.of("quote.signature"), QuoteVerifier.verify(foreign,
                new QuoteExpectations(Optional.empty(), QuoteFixtures.expected())).failedNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void stage2DigestNotWhatPcr14Holds_failsStage1Check(String kind) throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        QuoteEvidence lying = new QuoteEvidence(ev.nonce(), ev.pcrs(), ev.declaredSelection(), ev.attest(),
                ev.signature(), ev.akPublic(), ev.akSpki(), ev.eventLog(),
                Optional.of(Digest.compute(HashAlgorithm.SHA256, new byte[0])), ev.configSha256());
        assertEquals(List.of("stage1.stage2"), QuoteVerifier.verify(lying,
                new QuoteExpectations(Optional.empty(), QuoteFixtures.expected())).failedNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ecc", "rsa"})
    void truncatedAkPublic_isUnusableInput(String kind) {
        QuoteEvidence ev = QuoteFixtures.evidence(kind);
        byte[] pub = java.util.Arrays.copyOf(ev.akPublic(), 10);
        QuoteEvidence bad = new QuoteEvidence(ev.nonce(), ev.pcrs(), ev.declaredSelection(), ev.attest(),
                ev.signature(), pub, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        MeasureException e = assertThrows(MeasureException.class,
                () -> QuoteVerifier.verify(bad, new QuoteExpectations(Optional.empty(), QuoteFixtures.expected())));
        assertTrue(e.getMessage().startsWith("ak.public (TPMT_PUBLIC): expected"), e.getMessage());
    }

    /**
     * A real firmware event log (QEMU + OVMF + systemd-stub 252 boot): the quote's PCRs replay from
     * it, and PCR 0-9 and 11 equal what that real guest read from sysfs.
     */
    @org.junit.jupiter.api.Test
    void realBootLog_replaysToQuotedPcrsAndMatchesTheRealGuest() throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence("boot-ecc");
        VerificationResult r = QuoteVerifier.verify(ev, new QuoteExpectations(Optional.of(ev.nonce()),
                QuoteFixtures.expected("boot-expected-measurement.json")));
        assertEquals(List.of(), r.failures(), r.checks()::toString);
        List<String> replayed = r.checks().stream().filter(c -> c.name().startsWith("eventlog.")).map(Check::name).toList();
        // OVMF + systemd-stub + kernel log into PCR 0-7, 9 and 11; nothing into 8, 10, 12-15.
        assertEquals(List.of("eventlog.sha256.0", "eventlog.sha256.1", "eventlog.sha256.2", "eventlog.sha256.3",
                "eventlog.sha256.4", "eventlog.sha256.5", "eventlog.sha256.6", "eventlog.sha256.7", "eventlog.sha256.9",
                "eventlog.sha256.11"), replayed);
    }

    @org.junit.jupiter.api.Test
    void realBootLogWithOneEventDropped_failsThatPcr() throws Exception {
        QuoteEvidence ev = QuoteFixtures.evidence("boot-ecc");
        byte[] log = ev.eventLog().orElseThrow();
        byte[] shorter = java.util.Arrays.copyOf(log, lastRecordOffset(log));
        int droppedPcr = java.nio.ByteBuffer.wrap(log, lastRecordOffset(log), 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        VerificationResult r = QuoteVerifier.verify(ev.withEventLog(shorter), new QuoteExpectations(Optional.empty(),
                QuoteFixtures.expected("boot-expected-measurement.json")));
        assertEquals(List.of("eventlog.sha256." + droppedPcr), r.failedNames());
    }

    private static int lastRecordOffset(byte[] log) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(log).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int pos = 32 + b.getInt(28); // Spec ID header: pcr, type, 20-byte digest, size, event
        int last = pos;
        while (pos < log.length) {
            last = pos;
            pos += 12 + 4 * (2) + 20 + 32 + 48 + 64; // four banks as listed in the header
            pos += 4 + b.getInt(pos);
        }
        return last;
    }
}
