package io.cvmboot.stage1.net;

import io.cvmboot.stage1.Stage1Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust from a PEM CA bundle (Debian's {@code /etc/ssl/certs/ca-certificates.crt}, placed into
 * the initrd), rather than the JDK's cacerts: the initrd's trust is then one reviewable file.
 */
public final class TrustBundle {
    /** Where Debian's ca-certificates puts the bundle; the initrd carries the same path. */
    public static final Path DEFAULT_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

    private TrustBundle() {}

    public static SSLSocketFactory load(Path pemBundle) throws Stage1Exception {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pemBundle)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new Stage1Exception("CA bundle " + pemBundle + " does not exist: https downloads need it", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new Stage1Exception("CA bundle " + pemBundle + " is not a PEM certificate bundle: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new Stage1Exception("CA bundle " + pemBundle + ": expected PEM certificates, found none");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new Stage1Exception("CA bundle " + pemBundle + " could not be turned into a trust store", e);
        }
    }
}
