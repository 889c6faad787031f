package io.cvmboot.stage1.attest;

import io.cvmboot.measure.quote.PublicKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Checks that the AK certificate a cloud provisioned is over the AK stage1 quotes with (created
 * from the cloud's template, or the cloud's persistent AK). The certificate is not chain-verified here (that is the verifier's job, with
 * the cloud's CA); this check only makes sure stage1 never presents a certificate for another key
 * beside its quote.
 */
final class AkCertificates {
    private AkCertificates() {}

    /**
     * @param certificateName where the certificate was read, e.g. "AK certificate at NV index 0x01C10002"
     * @param akName which AK it must certify, e.g. "the AK created from the AK template at NV index 0x01C10003"
     * @throws IOException naming both when the certificate does not parse or its key is not {@code ak}
     */
    static X509Certificate requireKeyOf(String certificateName, String akName, byte[] der, PublicKey ak)
            throws IOException {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IOException(certificateName + ": expected a DER X.509 certificate, found "
                    + der.length + " bytes that do not parse as one: " + e.getMessage(), e);
        }
        if (!PublicKeys.sameKey(cert.getPublicKey(), ak)) {
            throw new IOException(certificateName + " (subject " + cert.getSubjectX500Principal().getName()
                    + ") certifies another key than " + akName
                    + ": expected the AK's key SHA-256(SPKI) " + PublicKeys.fingerprint(ak) + ", found "
                    + PublicKeys.fingerprint(cert.getPublicKey()) + "; refusing to attest with a certificate that is not the AK's");
        }
        return cert;
    }
}
