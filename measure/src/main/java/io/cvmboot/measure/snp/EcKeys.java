package io.cvmboot.measure.snp;

import io.cvmboot.measure.MeasureException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reads the P-384 private keys sev-snp-measure accepts: PEM "EC PRIVATE KEY" (SEC1, RFC 5915)
 * or "PRIVATE KEY" (PKCS#8, RFC 5208 with RFC 5480 EC parameters), unencrypted. The public key is
 * taken from the key file (OpenSSL always writes it) and checked against the private key.
 */
public final class EcKeys {
    // DER contents of the OIDs (RFC 5480, 2.1.1 and 2.1.1.1).
    private static final byte[] OID_EC_PUBLIC_KEY = HexFormat.of().parseHex("2a8648ce3d0201");
    private static final byte[] OID_SECP384R1 = HexFormat.of().parseHex("2b81040022");
    private static final int SEQUENCE = 0x30, INTEGER = 0x02, OCTET_STRING = 0x04, BIT_STRING = 0x03, OID = 0x06;
    private static final int CONTEXT_0 = 0xA0, CONTEXT_1 = 0xA1;

    private EcKeys() {}

    /** NIST P-384 (secp384r1) domain parameters. */
    public static ECParameterSpec p384() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp384r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides secp384r1", e);
        }
    }

    /**
     * Parses a PEM private key.
     *
     * @throws MeasureException if it is not an unencrypted EC P-384 key with its public key
     */
    public static KeyPair parsePrivatePem(String source, byte[] pem) throws MeasureException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            return fromSec1(source, base64Body(source, text, "EC PRIVATE KEY"), null);
        }
        if (text.contains("-----BEGIN PRIVATE KEY-----")) {
            return fromPkcs8(source, base64Body(source, text, "PRIVATE KEY"));
        }
        int begin = text.indexOf("-----BEGIN ");
        String found = begin < 0 ? "no PEM block" : text.substring(begin, Math.max(begin, text.indexOf('\n', begin))).strip();
        throw new MeasureException(source + ": expected a PEM 'EC PRIVATE KEY' or 'PRIVATE KEY' (P-384), found " + found);
    }

    private static byte[] base64Body(String source, String text, String label) throws MeasureException {
        int start = text.indexOf("-----BEGIN " + label + "-----") + ("-----BEGIN " + label + "-----").length();
        int end = text.indexOf("-----END " + label + "-----", start);
        if (end < 0) {
            throw new MeasureException(source + ": PEM block '" + label + "' has no END line");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(start, end));
        } catch (IllegalArgumentException e) {
            throw new MeasureException(source + ": PEM block '" + label + "' is not valid base64", e);
        }
    }

    private static KeyPair fromPkcs8(String source, byte[] der) throws MeasureException {
        Der outer = Der.read(source, der, 0, SEQUENCE);
        Der version = Der.read(source, der, outer.contentStart, INTEGER);
        Der algorithm = Der.read(source, der, version.end, SEQUENCE);
        Der algOid = Der.read(source, der, algorithm.contentStart, OID);
        if (!Arrays.equals(algOid.content(der), OID_EC_PUBLIC_KEY)) {
            throw new MeasureException(source + ": expected an EC private key (OID 1.2.840.10045.2.1), found key algorithm OID "
                    + oidText(algOid.content(der)) + (oidText(algOid.content(der)).startsWith("1.2.840.113549.1.1") ? " (RSA)" : ""));
        }
        Der curve = Der.read(source, der, algOid.end, OID);
        Der privateKey = Der.read(source, der, algorithm.end, OCTET_STRING);
        return fromSec1(source, privateKey.content(der), curve.content(der));
    }

    private static KeyPair fromSec1(String source, byte[] der, byte[] curveFromPkcs8) throws MeasureException {
        Der outer = Der.read(source, der, 0, SEQUENCE);
        Der version = Der.read(source, der, outer.contentStart, INTEGER);
        Der secret = Der.read(source, der, version.end, OCTET_STRING);
        byte[] curve = curveFromPkcs8;
        byte[] publicPoint = null;
        int pos = secret.end;
        while (pos < outer.end) {
            int tag = der[pos] & 0xFF;
            Der field = Der.read(source, der, pos, tag);
            if (tag == CONTEXT_0) {
                curve = Der.read(source, der, field.contentStart, OID).content(der);
            } else if (tag == CONTEXT_1) {
                Der bits = Der.read(source, der, field.contentStart, BIT_STRING);
                byte[] b = bits.content(der);
                publicPoint = Arrays.copyOfRange(b, 1, b.length); // skip the unused-bits byte
            }
            pos = field.end;
        }
        if (curve == null || !Arrays.equals(curve, OID_SECP384R1)) {
            throw new MeasureException(source + ": SNP only supports EC curve P-384 (OID 1.3.132.0.34), found "
                    + (curve == null ? "no curve" : "curve OID " + oidText(curve)));
        }
        if (publicPoint == null) {
            throw new MeasureException(source + ": the key file holds no public key; re-export it with"
                    + " 'openssl pkey -in KEY -out KEY.pem', which includes it");
        }
        ECParameterSpec params = p384();
        int n = 48;
        if (publicPoint.length != 1 + 2 * n || publicPoint[0] != 0x04) {
            throw new MeasureException(source + ": expected an uncompressed P-384 public point (97 bytes starting 04), found "
                    + publicPoint.length + " bytes");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("EC");
            ECPrivateKey priv = (ECPrivateKey) kf.generatePrivate(
                    new ECPrivateKeySpec(new BigInteger(1, secret.content(der)), params));
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(publicPoint, 1, 1 + n)),
                    new BigInteger(1, Arrays.copyOfRange(publicPoint, 1 + n, 1 + 2 * n)));
            ECPublicKey pub = (ECPublicKey) kf.generatePublic(new ECPublicKeySpec(w, params));
            KeyPair pair = new KeyPair(pub, priv);
            requireMatching(source, pair);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new MeasureException(source + ": not a usable P-384 key: " + e.getMessage(), e);
        }
    }

    /** A stored public key that does not belong to the private key would give unverifiable ID blocks. */
    private static void requireMatching(String source, KeyPair pair) throws GeneralSecurityException, MeasureException {
        byte[] probe = "cvmboot key check".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA384withECDSA");
        s.initSign(pair.getPrivate());
        s.update(probe);
        byte[] sig = s.sign();
        s.initVerify(pair.getPublic());
        s.update(probe);
        if (!s.verify(sig)) {
            throw new MeasureException(source + ": the public key stored in the file does not match its private key");
        }
    }

    static String oidText(byte[] oid) {
        if (oid.length == 0) {
            return "(empty)";
        }
        StringBuilder sb = new StringBuilder();
        sb.append((oid[0] & 0xFF) / 40).append('.').append((oid[0] & 0xFF) % 40);
        long v = 0;
        for (int i = 1; i < oid.length; i++) {
            v = v << 7 | (oid[i] & 0x7F);
            if ((oid[i] & 0x80) == 0) {
                sb.append('.').append(v);
                v = 0;
            }
        }
        return sb.toString();
    }

    /** One DER TLV. */
    private record Der(int tag, int contentStart, int end) {
        static Der read(String source, byte[] b, int pos, int expectedTag) throws MeasureException {
            if (pos + 2 > b.length) {
                throw new MeasureException(source + ": truncated DER at offset " + pos);
            }
            int tag = b[pos] & 0xFF;
            if (tag != expectedTag) {
                throw new MeasureException(source + ": malformed key: expected DER tag 0x" + Integer.toHexString(expectedTag)
                        + " at offset " + pos + ", found 0x" + Integer.toHexString(tag));
            }
            int len = b[pos + 1] & 0xFF;
            int start = pos + 2;
            if (len > 0x80) {
                int count = len - 0x80;
                if (count > 3 || start + count > b.length) {
                    throw new MeasureException(source + ": malformed DER length at offset " + pos);
                }
                len = 0;
                for (int i = 0; i < count; i++) {
                    len = len << 8 | (b[start + i] & 0xFF);
                }
                start += count;
            } else if (len == 0x80) {
                throw new MeasureException(source + ": indefinite DER length at offset " + pos);
            }
            if (start + len > b.length) {
                throw new MeasureException(source + ": DER value at offset " + pos + " runs past the end");
            }
            return new Der(tag, start, start + len);
        }

        byte[] content(byte[] b) {
            return Arrays.copyOfRange(b, contentStart, end);
        }
    }
}
