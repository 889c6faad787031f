package io.cvmboot.stage1.attest;

import io.cvmboot.measure.quote.PublicKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

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
        if (!PublicKeys.sameKey(cert.getPublicKey(), ak)) {
            throw new IOException(indices.certificateName() + " (subject " + cert.getSubjectX500Principal().getName()
                    + ") certifies another key than the AK created from the " + indices.templateName()
                    + ": expected the AK's key SHA-256(SPKI) " + PublicKeys.fingerprint(ak) + ", found "
                    + PublicKeys.fingerprint(cert.getPublicKey()) + "; refusing to attest with a certificate that is not the AK's");
        }
        return cert;
    }
}
