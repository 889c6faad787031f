package io.cvmboot.measure.report;

import io.cvmboot.measure.MeasureException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The certificates presented with a report: the VCEK or VLEK, and optionally the intermediate
 * (ASK/ASVK) and ARK that came with it. Presented roots are only compared against the pinned
 * ones; they never become trust anchors themselves.
 */
public record ReportCertificates(AmdKeyCertificate signingKey, Optional<X509Certificate> intermediate,
        Optional<X509Certificate> ark) {
    public ReportCertificates {
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(intermediate, "intermediate");
        Objects.requireNonNull(ark, "ark");
    }

    public static ReportCertificates of(AmdKeyCertificate signingKey) {
        return new ReportCertificates(signingKey, Optional.empty(), Optional.empty());
    }

    /**
     * Sorts a bundle (any order, e.g. VCEK + ASK + ARK as PEM) by subject CN: SEV-VCEK/SEV-VLEK is
     * the signing key, ARK-* the root, SEV-* the intermediate.
     */
    public static ReportCertificates fromBundle(String inputName, List<X509Certificate> certs) throws MeasureException {
        AmdKeyCertificate leaf = null;
        X509Certificate intermediate = null;
        X509Certificate ark = null;
        for (X509Certificate c : certs) {
            String cn = CertificateNames.subjectCn(c);
            if (cn.equals("SEV-VCEK") || cn.equals("SEV-VLEK")) {
                leaf = unique(inputName, leaf, AmdKeyCertificate.of(inputName, c), "VCEK/VLEK");
            } else if (cn.startsWith("ARK-")) {
                ark = unique(inputName, ark, c, "ARK");
            } else if (CertificateNames.productOfIntermediate(cn).isPresent()) {
                intermediate = unique(inputName, intermediate, c, "ASK/ASVK");
            } else {
                throw new MeasureException(inputName + ": expected AMD certificates (SEV-VCEK, SEV-VLEK, SEV-<product>, "
                        + "SEV-VLEK-<product>, ARK-<product>), found CN=" + cn);
            }
        }
        if (leaf == null) {
            throw new MeasureException(inputName + ": expected a VCEK or VLEK certificate among " + certs.size()
                    + " certificates, found none");
        }
        return new ReportCertificates(leaf, Optional.ofNullable(intermediate), Optional.ofNullable(ark));
    }

    private static <T> T unique(String inputName, T existing, T next, String what) throws MeasureException {
        if (existing != null) {
            throw new MeasureException(inputName + ": expected one " + what + " certificate, found several");
        }
        return next;
    }
}
