package io.cvmboot.builder.verify;

import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.quote.QuoteExpectations;
import io.cvmboot.measure.quote.QuoteVerifier;
import io.cvmboot.measure.report.VerificationResult;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a stage1 attestation: the quote ({@link QuoteVerifier}) and, where the attestation has
 * an AK certificate or trusted AK CAs are given, that the AK is the platform's
 * ({@link AkCertificateChecks}, listed right after the AK's own checks).
 */
public final class Stage1AttestationVerifier {
    private Stage1AttestationVerifier() {}

    /**
     * @param akCas the trusted AK CA certificates, or empty for no chain check
     * @param akCaName how to name them in check details (e.g. {@code --ak-ca FILE})
     * @param at the time the AK certificate chain must be valid at (the caller's clock)
     * @throws MeasureException for an AK public area or signature that does not parse at all
     */
    public static VerificationResult verify(Stage1Attestation attestation, QuoteExpectations expected,
            Optional<List<X509Certificate>> akCas, String akCaName, Instant at) throws MeasureException {
        VerificationResult quote = QuoteVerifier.verify(attestation.evidence(), expected);
        return AkCertificateChecks.insert(quote, AkCertificateChecks.verify(attestation, akCas, akCaName, at));
    }
}
