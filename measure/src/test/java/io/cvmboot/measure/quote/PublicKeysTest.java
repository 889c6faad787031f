package io.cvmboot.measure.quote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PublicKeysTest {
    private static ECPublicKey ecKey(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return (ECPublicKey) g.generateKeyPair().getPublic();
    }

    private static RSAPublicKey rsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return (RSAPublicKey) g.generateKeyPair().getPublic();
    }

    @Test
    void sameKey_comparesValuesNotObjects() throws Exception {
        ECPublicKey ec = ecKey("secp256r1");
        PublicKey ecCopy = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(ec.getW(), ec.getParams()));
        assertTrue(PublicKeys.sameKey(ec, ecCopy));
        RSAPublicKey rsa = rsaKey();
        PublicKey rsaCopy = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        assertTrue(PublicKeys.sameKey(rsa, rsaCopy));
    }

    @Test
    void sameKey_otherKeyCurveOrType_doesNotMatch() throws Exception {
        ECPublicKey ec = ecKey("secp256r1");
        assertFalse(PublicKeys.sameKey(ec, ecKey("secp256r1")), "another P-256 key");
        assertFalse(PublicKeys.sameKey(ec, ecKey("secp384r1")), "another curve");
        assertFalse(PublicKeys.sameKey(ec, rsaKey()), "another key type");
        RSAPublicKey rsa = rsaKey();
        PublicKey otherExponent = KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent().add(java.math.BigInteger.TWO)));
        assertFalse(PublicKeys.sameKey(rsa, otherExponent), "same modulus, other exponent");
    }

    @Test
    void fingerprint_isTheSha256OfTheSubjectPublicKeyInfo() throws Exception {
        ECPublicKey ec = ecKey("secp256r1");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ec.getEncoded()));
        assertEquals(expected, PublicKeys.fingerprint(ec));
        assertNotEquals(expected, PublicKeys.fingerprint(ecKey("secp256r1")));
    }
}
