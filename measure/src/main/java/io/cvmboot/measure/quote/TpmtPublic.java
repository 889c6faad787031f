package io.cvmboot.measure.quote;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;

/**
 * The public area of a TPM key, TPMT_PUBLIC (TPM 2.0 Library Part 2, 12.2.4), for the two AK
 * kinds stage1 uses: ECC NIST P-256 and RSA 2048. Keeps the marshalled bytes so the TPM name
 * (nameAlg || H(TPMT_PUBLIC), Part 1, 16) can be computed.
 */
public final class TpmtPublic {
    /** TPM_ALG_RSA, TPM_ALG_ECC, TPM_ALG_NULL (TCG Algorithm Registry, Table 3). */
    public static final int TPM_ALG_RSA = 0x0001;
    public static final int TPM_ALG_ECC = 0x0023;
    static final int TPM_ALG_NULL = 0x0010;
    /** TPM_ECC_NIST_P256 (TCG Algorithm Registry, Table 4). */
    static final int TPM_ECC_NIST_P256 = 0x0003;
    /** TPMA_OBJECT bits (Part 2, 8.3.2). */
    public static final long FIXED_TPM = 1L << 1;
    public static final long RESTRICTED = 1L << 16;
    public static final long SIGN = 1L << 18;

    private final byte[] bytes;
    private final int type;
    private final HashAlgorithm nameAlg;
    private final long objectAttributes;
    private final int keyBits;
    private final PublicKey key;

    private TpmtPublic(byte[] bytes, int type, HashAlgorithm nameAlg, long objectAttributes, int keyBits, PublicKey key) {
        this.bytes = bytes;
        this.type = type;
        this.nameAlg = nameAlg;
        this.objectAttributes = objectAttributes;
        this.keyBits = keyBits;
        this.key = key;
    }

    public static TpmtPublic parse(String inputName, byte[] bytes) throws MeasureException {
        TpmReader r = new TpmReader(inputName, bytes);
        int type = r.u16("type");
        HashAlgorithm nameAlg = hash(inputName, r.u16("nameAlg"), "nameAlg");
        long attributes = r.u32("objectAttributes");
        r.tpm2b("authPolicy");
        int symmetric = r.u16("parameters.symmetric.algorithm");
        if (symmetric != TPM_ALG_NULL) {
            r.u16("parameters.symmetric.keyBits");
            r.u16("parameters.symmetric.mode");
        }
        int scheme = r.u16("parameters.scheme");
        if (scheme != TPM_ALG_NULL) {
            r.u16("parameters.scheme.hashAlg");
        }
        PublicKey key;
        int keyBits;
        try {
            if (type == TPM_ALG_RSA) {
                keyBits = r.u16("parameters.keyBits");
                long exponent = r.u32("parameters.exponent");
                byte[] modulus = r.tpm2b("unique.rsa");
                // An exponent of zero means the default 2^16 + 1 (Part 2, 12.2.3.5).
                BigInteger e = BigInteger.valueOf(exponent == 0 ? 65537 : exponent);
                key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus), e));
            } else if (type == TPM_ALG_ECC) {
                int curve = r.u16("parameters.curveID");
                int kdf = r.u16("parameters.kdf.scheme");
                if (kdf != TPM_ALG_NULL) {
                    r.u16("parameters.kdf.hashAlg");
                }
                if (curve != TPM_ECC_NIST_P256) {
                    throw new MeasureException(inputName + String.format(": expected an ECC key on NIST P-256 (curve "
                            + "0x%04x), found curve 0x%04x", TPM_ECC_NIST_P256, curve));
                }
                keyBits = 256;
                byte[] x = r.tpm2b("unique.ecc.x");
                byte[] y = r.tpm2b("unique.ecc.y");
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec("secp256r1"));
                ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(new BigInteger(1, x), new BigInteger(1, y)),
                        params.getParameterSpec(ECParameterSpec.class));
                key = KeyFactory.getInstance("EC").generatePublic(spec);
            } else {
                throw new MeasureException(inputName + String.format(": expected an RSA (0x%04x) or ECC (0x%04x) key, "
                        + "found type 0x%04x", TPM_ALG_RSA, TPM_ALG_ECC, type));
            }
        } catch (GeneralSecurityException e) {
            throw new MeasureException(inputName + ": the public key does not form a valid JCA key: " + e.getMessage(), e);
        }
        r.end("TPMT_PUBLIC");
        return new TpmtPublic(bytes.clone(), type, nameAlg, attributes, keyBits, key);
    }

    public int type() {
        return type;
    }

    public HashAlgorithm nameAlg() {
        return nameAlg;
    }

    public long objectAttributes() {
        return objectAttributes;
    }

    public int keyBits() {
        return keyBits;
    }

    public PublicKey key() {
        return key;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The TPM name: nameAlg's TPM_ALG_ID (2 bytes, big-endian) then H_nameAlg(TPMT_PUBLIC). */
    public byte[] name() {
        byte[] digest = Digest.compute(nameAlg, bytes).bytes();
        byte[] out = new byte[2 + digest.length];
        out[0] = (byte) (nameAlg.tpmAlgId() >>> 8);
        out[1] = (byte) nameAlg.tpmAlgId();
        System.arraycopy(digest, 0, out, 2, digest.length);
        return out;
    }

    private static HashAlgorithm hash(String inputName, int id, String field) throws MeasureException {
        try {
            return HashAlgorithm.fromTpmAlgId(id);
        } catch (IllegalArgumentException e) {
            throw new MeasureException(inputName + ": " + field + ": " + e.getMessage(), e);
        }
    }
}
