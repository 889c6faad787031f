package io.cvmboot.measure.pe;

/**
 * The optional-header CheckSum (Microsoft PE Format, "Optional Header Windows-Specific Fields",
 * CheckSum; algorithm of imagehlp CheckSumMappedFile): the file summed as little-endian 16-bit words
 * with end-around carry, the CheckSum field itself counted as zero, then the file length added.
 * Firmware ignores it; signers (sbsign, jsign) recompute it, so a signer here does too.
 */
public final class PeChecksum {
    private PeChecksum() {}

    /** The checksum of {@code bytes} whose CheckSum field is at {@code checkSumOffset}. */
    public static long compute(byte[] bytes, int checkSumOffset) {
        long sum = 0;
        int n = bytes.length;
        for (int i = 0; i + 1 < n; i += 2) {
            if (i == checkSumOffset || i == checkSumOffset + 2) {
                continue;
            }
            sum += (bytes[i] & 0xFF) | ((bytes[i + 1] & 0xFF) << 8);
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        if ((n & 1) != 0) {
            // An odd trailing byte counts as a word with a zero high byte.
            sum += bytes[n - 1] & 0xFF;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (sum + n) & 0xFFFF_FFFFL;
    }

    /** The checksum of a parsed image. */
    public static long compute(PeImage image) {
        return compute(image.internalBytes(), image.checkSumOffset());
    }
}
