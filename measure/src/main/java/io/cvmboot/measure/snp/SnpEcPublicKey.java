package io.cvmboot.measure.snp;

import io.cvmboot.measure.Digest;
import io.cvmboot.measure.Digest.HashAlgorithm;
import io.cvmboot.measure.MeasureException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Objects;

/**
 * An ECDSA P-384 public key in the SEV-SNP layout (SEV-SNP Firmware ABI rev 1.51, Chapter 10
 * "ECC Public Key Format"): {@code u32 CURVE = 2 (P-384)}, QX and QY each 72 bytes little-endian,
 * zero-extended from 48, then 880 reserved bytes; 1028 bytes in all. Its SHA-384 is the
 * ID_KEY_DIGEST / AUTHOR_KEY_DIGEST of the attestation report.
 */
public record SnpEcPublicKey(ECPublicKey key) {
    public static final int LENGTH = 1028;
    /** CURVE field value for P-384 (ABI Chapter 10, "ECC curve" encodings). */
    static final int CURVE_P384 = 2;
    static final int COORDINATE_LENGTH = 72;

    public SnpEcPublicKey {
        Objects.requireNonNull(key, "key");
        if (key.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new IllegalArgumentException("SNP ID and author keys are ECDSA P-384, got a "
                    + key.getParams().getCurve().getField().getFieldSize() + "-bit curve");
        }
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        LittleEndian.put32(b, 0, CURVE_P384);
        ECPoint w = key.getW();
        LittleEndian.putUnsigned(b, 4, COORDINATE_LENGTH, w.getAffineX());
        LittleEndian.putUnsigned(b, 4 + COORDINATE_LENGTH, COORDINATE_LENGTH, w.getAffineY());
        return b;
    }

    /** SHA-384 of the 1028-byte structure: the key digest the attestation report carries. */
    public Digest digest() {
        return Digest.compute(HashAlgorithm.SHA384, toBytes());
    }

    /** Parses the 1028-byte structure at {@code off}. */
    public static SnpEcPublicKey parse(String source, byte[] b, int off) throws MeasureException {
        if (b.length - off < LENGTH) {
            throw new MeasureException(source + ": an SNP public key is " + LENGTH + " bytes, found " + (b.length - off));
        }
        long curve = LittleEndian.u32(b, off);
        if (curve != CURVE_P384) {
            throw new MeasureException(source + ": expected curve 2 (P-384) in the SNP public key, found " + curve);
        }
        BigInteger x = LittleEndian.unsigned(b, off + 4, COORDINATE_LENGTH);
        BigInteger y = LittleEndian.unsigned(b, off + 4 + COORDINATE_LENGTH, COORDINATE_LENGTH);
        try {
            var spec = new ECPublicKeySpec(new ECPoint(x, y), EcKeys.p384());
            return new SnpEcPublicKey((ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec));
        } catch (GeneralSecurityException e) {
            throw new MeasureException(source + ": the SNP public key is not a point on P-384", e);
        }
    }
}
