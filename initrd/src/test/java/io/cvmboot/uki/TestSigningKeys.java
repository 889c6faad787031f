package io.cvmboot.uki;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Throwaway self-signed signing identities made in the test (never stored). */
public final class TestSigningKeys {
    private TestSigningKeys() {}

    public static SigningIdentity rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return selfSigned(g.generateKeyPair(), "SHA256withRSA");
    }

    public static SigningIdentity ecP256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return selfSigned(g.generateKeyPair(), "SHA256withECDSA");
    }

    private static SigningIdentity selfSigned(KeyPair pair, String signatureAlgorithm) throws Exception {
        X500Name name = new X500Name("CN=cvmboot test Secure Boot signer");
        // Fixed validity: 2020-01-01 to 2100-01-01.
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(42), new Date(1577836800000L),
                new Date(4102444800000L), name, pair.getPublic());
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(pair.getPrivate())));
        return new SigningIdentity(pair.getPrivate(), List.of(cert));
    }

    public static String certificatePem(SigningIdentity id) throws Exception {
        return pem("CERTIFICATE", id.signer().getEncoded());
    }

    public static String privateKeyPem(SigningIdentity id) {
        return pem("PRIVATE KEY", id.key().getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
