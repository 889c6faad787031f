package io.cvmboot.uki;

import io.cvmboot.initrd.ArtefactInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The Secure Boot signing key and its certificate chain (signer first).
 *
 * @param key an RSA or EC private key
 * @param chain the signer's certificate, then any intermediates to embed
 */
public record SigningIdentity(PrivateKey key, List<X509Certificate> chain) {
    public SigningIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing identity needs the signer's certificate");
        }
        if (!(key instanceof RSAPrivateKey) && !(key instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("signing key must be RSA or EC, got " + key.getAlgorithm());
        }
    }

    public X509Certificate signer() {
        return chain.getFirst();
    }

    /**
     * Reads an unencrypted PEM private key (PKCS#8 "PRIVATE KEY", "RSA PRIVATE KEY" or "EC PRIVATE
     * KEY") and a PEM or DER certificate file (the signer first, then intermediates).
     */
    public static SigningIdentity fromPem(String keyName, byte[] keyPem, String certName, byte[] certs)
            throws ArtefactInputException {
        return new SigningIdentity(readKey(keyName, keyPem), readCertificates(certName, certs));
    }

    private static PrivateKey readKey(String name, byte[] pem) throws ArtefactInputException {
        Object object;
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            object = parser.readObject();
        } catch (IOException e) {
            throw new ArtefactInputException(name + ": expected a PEM private key, could not parse it: " + e.getMessage(), e);
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (object instanceof PEMKeyPair pair) {
                return requireSupported(name, converter.getPrivateKey(pair.getPrivateKeyInfo()));
            }
            if (object instanceof PrivateKeyInfo info) {
                return requireSupported(name, converter.getPrivateKey(info));
            }
        } catch (IOException e) {
            throw new ArtefactInputException(name + ": unusable private key: " + e.getMessage(), e);
        }
        String found = object == null ? "no PEM object" : object.getClass().getSimpleName()
                .replace("PKCS8EncryptedPrivateKeyInfo", "an encrypted private key (decrypt it first)");
        throw new ArtefactInputException(name + ": expected an unencrypted PEM private key (RSA or EC), found " + found);
    }

    private static PrivateKey requireSupported(String name, PrivateKey key) throws ArtefactInputException {
        if (!(key instanceof RSAPrivateKey) && !(key instanceof ECPrivateKey)) {
            throw new ArtefactInputException(name + ": expected an RSA or EC private key, found " + key.getAlgorithm());
        }
        return key;
    }

    private static List<X509Certificate> readCertificates(String name, byte[] bytes) throws ArtefactInputException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var c : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new ArtefactInputException(name + ": expected X.509 certificates (PEM or DER): " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ArtefactInputException(name + ": expected at least one X.509 certificate, found none");
        }
        return out;
    }
}
