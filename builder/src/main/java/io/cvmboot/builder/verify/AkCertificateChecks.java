package io.cvmboot.builder.verify;

import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.quote.PublicKeys;
import io.cvmboot.measure.quote.TpmtPublic;
import io.cvmboot.measure.report.Check;
import io.cvmboot.measure.report.VerificationResult;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ties the AK that signed a quote to a cloud's AK certificate (GCE Shielded VM: the vTPM's AK
 * certificate, issued by Google's EK/AK CA):
 *
 * <ul>
 *   <li>{@code ak.certificate}: the certificate's public key is the AK of {@code ak.public}; with
 *       trusted CAs given, a missing certificate fails too (the AK is then not the platform's);
 *   <li>{@code ak.certificate.chain}: the certificate chains to one of the trusted CAs (PKIX,
 *       validity at the given time, no revocation check).
 * </ul>
 *
 * Both run whenever they apply and do not stop the quote checks: the quote checks say whether the
 * quote is the AK's, these whether the AK is the platform's; either failing fails the verdict.
 */
public final class AkCertificateChecks {
    private static final HexFormat HEX = HexFormat.of();

    private AkCertificateChecks() {}

    /**
     * @param akPublic the TPMT_PUBLIC the quote is verified with
     * @param trusted the certificates of {@code --ak-ca} (self-issued ones are trust anchors, the
     *     others intermediates; all are anchors when none is self-issued), or empty for no chain check
     * @param trustedName how to name the trusted certificates in details ({@code --ak-ca FILE})
     * @param at the time certificates must be valid at
     * @return no checks when there is neither a certificate nor a trusted CA (nothing to say)
     * @throws MeasureException when {@code akPublic} is not a TPMT_PUBLIC at all
     */
    public static List<Check> verify(Stage1Attestation attestation, Optional<List<X509Certificate>> trusted,
            String trustedName, Instant at) throws MeasureException {
        Optional<X509Certificate> cert = attestation.akCertificate();
        List<Check> checks = new ArrayList<>();
        String source = attestation.akSource().map(s -> "ak.source " + s).orElse("no ak.source");
        if (cert.isEmpty()) {
            if (trusted.isPresent()) {
                checks.add(Check.mismatch("ak.certificate", "an AK certificate (" + trustedName + " given)",
                        "none in the attestation (" + source + "): the AK is not certified by the platform"));
            }
            return checks;
        }
        TpmtPublic ak = TpmtPublic.parse("ak.public (TPMT_PUBLIC)", attestation.evidence().akPublic());
        checks.add(keyCheck(cert.get(), ak.key(), source));
        trusted.ifPresent(certs -> checks.add(chainCheck(cert.get(), certs, trustedName, at)));
        return checks;
    }

    /** The quote's checks with {@code akChecks} placed after the AK's own ({@code ak.public}, {@code ak.spki}). */
    public static VerificationResult insert(VerificationResult quote, List<Check> akChecks) {
        List<Check> all = new ArrayList<>(quote.checks());
        int at = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().startsWith("ak.")) {
                at = i + 1;
            }
        }
        all.addAll(at, akChecks);
        return new VerificationResult(all);
    }

    private static Check keyCheck(X509Certificate cert, PublicKey ak, String source) {
        String who = "subject " + cert.getSubjectX500Principal().getName() + ", issuer "
                + cert.getIssuerX500Principal().getName();
        if (!PublicKeys.sameKey(cert.getPublicKey(), ak)) {
            return Check.mismatch("ak.certificate", "a certificate over the AK that signed the quote (SHA-256 of its "
                    + "SubjectPublicKeyInfo " + PublicKeys.fingerprint(ak) + ")", "a certificate over another key "
                    + PublicKeys.fingerprint(cert.getPublicKey()) + " (" + who + ")");
        }
        return Check.passed("ak.certificate", who + ", serial 0x" + cert.getSerialNumber().toString(16)
                + ", valid " + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant()
                + "; its key is the AK (" + source + ")");
    }

    private static Check chainCheck(X509Certificate leaf, List<X509Certificate> trusted, String trustedName,
            Instant at) {
        Set<TrustAnchor> anchors = new HashSet<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        for (X509Certificate c : trusted) {
            if (selfIssued(c)) {
                anchors.add(new TrustAnchor(c, null));
            } else {
                intermediates.add(c);
            }
        }
        if (anchors.isEmpty()) {
            // Only intermediates given: the user trusts them directly.
            trusted.forEach(c -> anchors.add(new TrustAnchor(c, null)));
            intermediates.clear();
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            // No revocation: cloud AK CAs publish no CRL/OCSP a verifier could rely on offline.
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            List<X509Certificate> pool = new ArrayList<>(intermediates);
            pool.add(leaf);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
                    .build(params);
            return Check.passed("ak.certificate.chain", "chains to " + result.getTrustAnchor().getTrustedCert()
                    .getSubjectX500Principal().getName() + " of " + trustedName + " (" + result.getCertPath()
                    .getCertificates().size() + " certificate(s) below it, valid at " + at + ", revocation not checked)");
        } catch (CertPathBuilderException e) {
            return Check.mismatch("ak.certificate.chain", "a chain from the AK certificate (issuer "
                    + leaf.getIssuerX500Principal().getName() + ") to a CA of " + trustedName + " valid at " + at,
                    "none: " + e.getMessage());
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("PKIX is part of every JDK and the anchors are not empty", e);
        }
    }

    private static boolean selfIssued(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
