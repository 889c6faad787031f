package io.cvmboot.measure.tpm;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import io.cvmboot.measure.pe.Authenticode;
import io.cvmboot.measure.pe.DataDirectory;
import io.cvmboot.measure.pe.PeImage;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds the db entry that authorises a signed image under Secure Boot: the entry edk2's
 * DxeImageVerificationLib logs as EV_EFI_VARIABLE_AUTHORITY (PCR 7). An X.509 db entry authorises
 * the image when the image's PKCS#7 carries that certificate or a certificate it issued (its subject
 * appears as an issuer); a SHA-256 db entry when it equals the image's Authenticode digest. This does
 * not verify signatures: it predicts which entry the firmware will log for an image it accepts.
 */
public final class ImageAuthority {
    private ImageAuthority() {}

    /** The authorising db entry, or empty when no entry matches (the firmware would refuse to boot it). */
    public static Optional<EfiSignatureList.Entry> find(PeImage image, List<EfiSignatureList.Entry> db)
            throws MeasureException {
        byte[] signatures = certificateTable(image);
        for (EfiSignatureList.Entry e : db) {
            if (e.type().equals(EfiGuid.CERT_X509) && signatures.length > 0) {
                byte[] der = e.signatureData();
                if (contains(signatures, der) || contains(signatures, subjectOf(image, der))) {
                    return Optional.of(e);
                }
            }
        }
        Digest sha256 = Authenticode.digest(image, HashAlgorithm.SHA256);
        for (EfiSignatureList.Entry e : db) {
            if (e.type().equals(EfiGuid.CERT_SHA256) && Arrays.equals(e.signatureData(), sha256.bytes())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static byte[] certificateTable(PeImage image) throws MeasureException {
        DataDirectory table = image.optionalHeader().certificateTable();
        if (!table.isPresent()) {
            return new byte[0];
        }
        if (table.virtualAddress() + table.size() > image.length()) {
            throw new MeasureException(image.inputName() + ": certificate table runs past the end of the file");
        }
        return image.bytesAt(table.virtualAddress(), table.size());
    }

    private static byte[] subjectOf(PeImage image, byte[] der) throws MeasureException {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return c.getSubjectX500Principal().getEncoded();
        } catch (CertificateException e) {
            throw new MeasureException("db: an X.509 entry is not a DER certificate (checking " + image.inputName() + ")", e);
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
