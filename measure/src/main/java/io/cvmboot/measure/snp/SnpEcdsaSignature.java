package io.cvmboot.measure.snp;

import io.cvmboot.measure.MeasureException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An ECDSA signature in the SEV-SNP layout (SEV-SNP Firmware ABI rev 1.51, Chapter 10 "ECDSA
 * Signature Format"): R and S each 72 bytes little-endian, zero-extended, then 368 reserved bytes;
 * 512 bytes in all.
 */
public record SnpEcdsaSignature(BigInteger r, BigInteger s) {
    public static final int LENGTH = 512;
    static final int COMPONENT_LENGTH = 72;
    /** P-384 scalars are 48 bytes; the JCA P1363 encoding is {@code r || s} of that width. */
    static final int P384_SCALAR = 48;

    public SnpEcdsaSignature {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(s, "s");
        if (r.signum() <= 0 || s.signum() <= 0 || r.bitLength() > 384 || s.bitLength() > 384) {
            throw new IllegalArgumentException("ECDSA P-384 r and s must be in 1..2^384-1");
        }
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        LittleEndian.putUnsigned(b, 0, COMPONENT_LENGTH, r);
        LittleEndian.putUnsigned(b, COMPONENT_LENGTH, COMPONENT_LENGTH, s);
        return b;
    }

    public static SnpEcdsaSignature parse(String source, byte[] b, int off) throws MeasureException {
        if (b.length - off < LENGTH) {
            throw new MeasureException(source + ": an SNP signature is " + LENGTH + " bytes, found " + (b.length - off));
        }
        BigInteger r = LittleEndian.unsigned(b, off, COMPONENT_LENGTH);
        BigInteger s = LittleEndian.unsigned(b, off + COMPONENT_LENGTH, COMPONENT_LENGTH);
        try {
            return new SnpEcdsaSignature(r, s);
        } catch (IllegalArgumentException e) {
            throw new MeasureException(source + ": " + e.getMessage(), e);
        }
    }

    /** From the JCA {@code SHA384withECDSAinP1363Format} encoding. */
    static SnpEcdsaSignature fromP1363(byte[] rs) {
        int half = rs.length / 2;
        return new SnpEcdsaSignature(new BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, half)),
                new BigInteger(1, java.util.Arrays.copyOfRange(rs, half, rs.length)));
    }

    byte[] toP1363() {
        byte[] rs = new byte[2 * P384_SCALAR];
        putBigEndian(rs, 0, r);
        putBigEndian(rs, P384_SCALAR, s);
        return rs;
    }

    private static void putBigEndian(byte[] out, int off, BigInteger v) {
        byte[] be = v.toByteArray();
        int n = Math.min(be.length, P384_SCALAR);
        System.arraycopy(be, be.length - n, out, off + P384_SCALAR - n, n);
    }
}
