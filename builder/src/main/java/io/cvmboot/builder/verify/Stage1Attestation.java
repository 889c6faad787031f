package io.cvmboot.builder.verify;

import io.cvmboot.measure.quote.QuoteEvidence;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded stage1 attestation file: the quote evidence, and what it says about the AK's origin.
 *
 * @param evidence the quote, PCRs, AK and event log
 * @param akSource {@code ak.source}: {@code cvmboot} (stage1's own template), {@code nv-template
 *     0x........} or {@code persistent 0x........} (a cloud's); absent in files written before the
 *     field existed
 * @param akCertificate {@code ak.certificate}: the cloud's certificate over the AK, when stage1 found one
 */
public record Stage1Attestation(QuoteEvidence evidence, Optional<String> akSource,
        Optional<X509Certificate> akCertificate) {
    public Stage1Attestation {
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(akSource, "akSource");
        Objects.requireNonNull(akCertificate, "akCertificate");
    }

    /** The same attestation with {@code log} as its event log (a log given separately replaces the embedded one). */
    public Stage1Attestation withEventLog(byte[] log) {
        return new Stage1Attestation(evidence.withEventLog(log), akSource, akCertificate);
    }
}
