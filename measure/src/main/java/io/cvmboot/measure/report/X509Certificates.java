package io.cvmboot.measure.report;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.MeasureException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** X.509 parsing and fingerprints for the report package (JDK CertificateFactory; DER or PEM). */
public final class X509Certificates {
    private X509Certificates() {}

    public static X509Certificate parse(String inputName, byte[] der) throws MeasureException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new MeasureException(inputName + ": expected an X.509 certificate (DER or PEM), found bytes "
                    + "that do not parse as one", e);
        }
    }

    /** Parses every certificate in a PEM bundle or a single DER certificate. */
    public static List<X509Certificate> parseAll(String inputName, byte[] data) throws MeasureException {
        try {
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(data));
            List<X509Certificate> out = new ArrayList<>();
            for (var c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new MeasureException(inputName + ": expected one or more X.509 certificates, found none");
            }
            return out;
        } catch (CertificateException e) {
            throw new MeasureException(inputName + ": expected X.509 certificates (DER or PEM), found bytes that "
                    + "do not parse as such", e);
        }
    }

    public static String sha256Fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(
                    Digest.HashAlgorithm.SHA256.newMessageDigest().digest(cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a parsed certificate always re-encodes", e);
        }
    }
}
