package io.cvmboot.stage1.attest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.HexFormat;

/**
 * Checks that the AK certificate a cloud provisioned is over the key stage1 created from the
 * cloud's template. The certificate is not chain-verified here (that is the verifier's job, with
 * the cloud's CA); this check only makes sure stage1 never presents a certificate for another key
 * beside its quote.
 */
final class AkCertificates {
    private AkCertificates() {}

    /**
     * @throws IOException naming both NV indices when the certificate does not parse or its key is
     *     not {@code ak}
     */
    static X509Certificate requireKeyOf(CloudAkIndices indices, byte[] der, PublicKey ak) throws IOException {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IOException(indices.certificateName() + ": expected a DER X.509 certificate, found "
                    + der.length + " bytes that do not parse as one: " + e.getMessage(), e);
        }
        if (!sameKey(cert.getPublicKey(), ak)) {
            throw new IOException(indices.certificateName() + " (subject " + cert.getSubjectX500Principal().getName()
                    + ") certifies another key than the AK created from the " + indices.templateName()
                    + ": expected the AK's key SHA-256(SPKI) " + fingerprint(ak) + ", found "
                    + fingerprint(cert.getPublicKey()) + "; refusing to attest with a certificate that is not the AK's");
        }
        return cert;
    }

    /** Key equality by value, not by encoding: EC point and curve, or RSA modulus and exponent. */
    static boolean sameKey(PublicKey a, PublicKey b) {
        if (a instanceof ECPublicKey x && b instanceof ECPublicKey y) {
            return x.getW().equals(y.getW()) && sameCurve(x.getParams(), y.getParams());
        }
        if (a instanceof RSAPublicKey x && b instanceof RSAPublicKey y) {
            return x.getModulus().equals(y.getModulus()) && x.getPublicExponent().equals(y.getPublicExponent());
        }
        return false;
    }

    private static boolean sameCurve(ECParameterSpec p, ECParameterSpec q) {
        return p.getCurve().equals(q.getCurve()) && p.getGenerator().equals(q.getGenerator())
                && p.getOrder().equals(q.getOrder()) && p.getCofactor() == q.getCofactor();
    }

    static String fingerprint(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
