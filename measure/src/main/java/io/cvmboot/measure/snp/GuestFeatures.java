package io.cvmboot.measure.snp;

import java.math.BigInteger;

/**
 * SEV_FEATURES of the VMSA (AMD64 APM Vol 2, Appendix B, Table B-4, offset 0x3B0): bit 0
 * SNPActive, 5 DebugSwap, and so on. The reference default is {@link #DEFAULT} (0x1); KVM 6.6/6.7
 * hosts with debug_swap need 0x21.
 *
 * @param value the 64-bit field as an unsigned value
 */
public record GuestFeatures(long value) {
    public static final long SNP_ACTIVE = 0x1;
    public static final GuestFeatures DEFAULT = new GuestFeatures(SNP_ACTIVE);
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64);

    /**
     * Parses an integer literal with automatic base, as the reference CLI does: {@code 0x21},
     * {@code 0o41}, {@code 0b100001} or decimal {@code 33}.
     *
     * @throws IllegalArgumentException if the text is not a number or does not fit in 64 bits
     *     (the reference silently truncates; a wrong feature set would give a wrong digest)
     */
    public static GuestFeatures parse(String text) {
        BigInteger v = IntLiterals.parse(text);
        if (v.signum() < 0 || v.compareTo(MAX) >= 0) {
            throw new IllegalArgumentException("guest features must fit in 64 bits (0x0..0xffffffffffffffff), got " + text);
        }
        return new GuestFeatures(v.longValue());
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(value);
    }
}
