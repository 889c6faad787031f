package io.cvmboot.builder.verify;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away AK certificate authority (ECDSA P-256), as a cloud's EK/AK CA: a self-signed root
 * that can issue intermediates and end-entity AK certificates over any public key.
 */
public final class AkTestCa {
    private final KeyPair keys;
    private final X509Certificate certificate;
    private long serial = 1;

    private AkTestCa(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    public static AkTestCa root(String commonName) throws Exception {
        KeyPair keys = newEcKey();
        X500Name name = new X500Name("O=cvmboot test,CN=" + commonName);
        return new AkTestCa(keys, sign(caBuilder(name, name, keys.getPublic(), BigInteger.ONE), keys));
    }

    /** A CA certificate issued by this one. */
    public AkTestCa intermediate(String commonName) throws Exception {
        KeyPair child = newEcKey();
        X500Name name = new X500Name("O=cvmboot test,CN=" + commonName);
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        return new AkTestCa(child, sign(caBuilder(issuer, name, child.getPublic(), BigInteger.valueOf(++serial)), keys));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String pem() throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    /** An end-entity AK certificate over {@code subjectKey}, valid from yesterday for a year. */
    public X509Certificate issue(String commonName, PublicKey subjectKey) throws Exception {
        return issue(commonName, subjectKey, Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(365,
                ChronoUnit.DAYS));
    }

    public X509Certificate issue(String commonName, PublicKey subjectKey, Instant notBefore, Instant notAfter)
            throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, BigInteger.valueOf(++serial),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + commonName), subjectKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        return sign(b, keys);
    }

    public static KeyPair newEcKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder caBuilder(X500Name issuer, X500Name subject, PublicKey key,
            BigInteger serial) throws Exception {
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(Instant.now().minus(1, ChronoUnit.DAYS)),
                Date.from(Instant.now().plus(3650, ChronoUnit.DAYS)), subject, key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }
}
