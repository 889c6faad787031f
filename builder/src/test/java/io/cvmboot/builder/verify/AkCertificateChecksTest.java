package io.cvmboot.builder.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cvmboot.measure.report.Check;
import io.cvmboot.measure.report.VerificationResult;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The AK certificate checks on stage1's own ECC attestation fixture with certificates from a throw-away CA. */
class AkCertificateChecksTest {
    private static final Instant NOW = Instant.now();

    @Test
    void noCertificateNoCa_noChecks() throws Exception {
        assertEquals(List.of(), AkCertificateChecks.verify(fixture(Optional.empty()), Optional.empty(), "--ak-ca x", NOW));
    }

    @Test
    void onlyAnIntermediateTrusted_itIsTheAnchor() throws Exception {
        AkTestCa root = AkTestCa.root("Root");
        AkTestCa intermediate = root.intermediate("Intermediate");
        Stage1Attestation a = fixture(Optional.of(intermediate.issue("AK", akKey())));
        List<Check> checks = AkCertificateChecks.verify(a, Optional.of(List.of(intermediate.certificate())),
                "--ak-ca i.pem", NOW);
        assertEquals(List.of("ak.certificate", "ak.certificate.chain"), checks.stream().map(Check::name).toList());
        assertTrue(checks.stream().allMatch(Check::isPassed), checks.toString());
        assertTrue(checks.get(1).detail().contains("chains to CN=Intermediate,O=cvmboot test of --ak-ca i.pem"),
                checks.get(1).detail());
    }

    @Test
    void chainValidity_isCheckedAtTheGivenTime() throws Exception {
        AkTestCa ca = AkTestCa.root("Root");
        Stage1Attestation a = fixture(Optional.of(ca.issue("AK", akKey())));
        List<Check> later = AkCertificateChecks.verify(a, Optional.of(List.of(ca.certificate())), "ca",
                NOW.plusSeconds(400L * 24 * 3600));
        assertTrue(later.get(1).isFailed(), later.toString());
    }

    @Test
    void insert_afterTheAkChecksBeforeTheQuoteChecks() {
        VerificationResult quote = new VerificationResult(List.of(Check.passed("ak.public", ""),
                Check.passed("ak.spki", ""), Check.passed("quote.signature", "")));
        VerificationResult merged = AkCertificateChecks.insert(quote, List.of(Check.failed("ak.certificate", "x")));
        assertEquals(List.of("ak.public", "ak.spki", "ak.certificate", "quote.signature"),
                merged.checks().stream().map(Check::name).toList());
        assertFalse(merged.passed());
    }

    private static Stage1Attestation fixture(Optional<X509Certificate> cert) throws Exception {
        Stage1Attestation plain = Stage1AttestationFile.read("stage1-ecc.attest", VerifyFixtures.bytes("stage1-ecc.attest"));
        return new Stage1Attestation(plain.evidence(), Optional.of("nv-template 0x01C10003"), cert);
    }

    private static PublicKey akKey() throws Exception {
        Stage1Attestation plain = Stage1AttestationFile.read("stage1-ecc.attest", VerifyFixtures.bytes("stage1-ecc.attest"));
        return KeyFactory.getInstance("EC").generatePublic(
                new java.security.spec.X509EncodedKeySpec(plain.evidence().akSpki().orElseThrow()));
    }
}
