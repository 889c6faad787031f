package io.cvmboot.measure.snp;

/** Little-endian field access: every integer in the SEV/SNP structures is little-endian. */
final class LittleEndian {
    private LittleEndian() {}

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void put64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Writes the unsigned value {@code v} as {@code len} little-endian bytes (zero-extended). */
    static void putUnsigned(byte[] b, int off, int len, java.math.BigInteger v) {
        byte[] be = v.toByteArray(); // big-endian, possibly with a leading sign byte
        int n = 0;
        for (int i = be.length - 1; i >= 0 && n < len; i--, n++) {
            b[off + n] = be[i];
        }
    }

    static java.math.BigInteger unsigned(byte[] b, int off, int len) {
        byte[] be = new byte[len];
        for (int i = 0; i < len; i++) {
            be[i] = b[off + len - 1 - i];
        }
        return new java.math.BigInteger(1, be);
    }
}
