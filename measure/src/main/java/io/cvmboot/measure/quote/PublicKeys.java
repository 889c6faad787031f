package io.cvmboot.measure.quote;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;

/**
 * Comparing and naming public keys, as an AK certificate is checked against the AK (stage1 before
 * it attests, {@code builder verify-quote} after).
 */
public final class PublicKeys {
    private PublicKeys() {}

    /**
     * Key equality by value, not by encoding (a certificate and a TPM may encode the same key
     * differently): EC point and curve, or RSA modulus and exponent. Other key types never match.
     */
    public static boolean sameKey(PublicKey a, PublicKey b) {
        if (a instanceof ECPublicKey x && b instanceof ECPublicKey y) {
            return x.getW().equals(y.getW()) && sameCurve(x.getParams(), y.getParams());
        }
        if (a instanceof RSAPublicKey x && b instanceof RSAPublicKey y) {
            return x.getModulus().equals(y.getModulus()) && x.getPublicExponent().equals(y.getPublicExponent());
        }
        return false;
    }

    /** SHA-256 of the key's SubjectPublicKeyInfo, in hex: how error messages name a key. */
    public static String fingerprint(PublicKey key) {
        return Digest.compute(HashAlgorithm.SHA256, key.getEncoded()).hex();
    }

    private static boolean sameCurve(ECParameterSpec p, ECParameterSpec q) {
        return p.getCurve().equals(q.getCurve()) && p.getGenerator().equals(q.getGenerator())
                && p.getOrder().equals(q.getOrder()) && p.getCofactor() == q.getCofactor();
    }
}
