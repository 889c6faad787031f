package io.cvmboot.measure.snp;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A GUID as firmware stores it: the mixed-endian EFI layout (UEFI 2.10, Appendix A, "EFI_GUID"),
 * where the first 32-bit field and the two 16-bit fields are little-endian and the last 8 bytes
 * are stored as written. {@link java.util.UUID} has no such encoding, so this type does it.
 *
 * @param text the canonical lower-case text form, e.g. {@code 96b582de-1fb2-45f7-baea-a366c55a082d}
 */
public record EfiGuid(String text) {
    private static final Pattern FORM =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    public static final int LENGTH = 16;

    public EfiGuid {
        text = text.toLowerCase(Locale.ROOT);
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("not a GUID in 8-4-4-4-12 hex form: '" + text + "'");
        }
    }

    public static EfiGuid of(String text) {
        return new EfiGuid(text);
    }

    /** Reads the 16 bytes at {@code offset} in EFI byte order. */
    public static EfiGuid fromEfiBytes(byte[] bytes, int offset) {
        byte[] b = new byte[LENGTH];
        System.arraycopy(bytes, offset, b, 0, LENGTH);
        swapToBigEndian(b);
        String hex = HexFormat.of().formatHex(b);
        return new EfiGuid(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20));
    }

    /** The 16 bytes in EFI byte order. */
    public byte[] efiBytes() {
        byte[] b = HexFormat.of().parseHex(text.replace("-", ""));
        swapToBigEndian(b); // the swap is its own inverse
        return b;
    }

    private static void swapToBigEndian(byte[] b) {
        reverse(b, 0, 4);
        reverse(b, 4, 2);
        reverse(b, 6, 2);
    }

    private static void reverse(byte[] b, int from, int len) {
        for (int i = 0, j = len - 1; i < j; i++, j--) {
            byte t = b[from + i];
            b[from + i] = b[from + j];
            b[from + j] = t;
        }
    }

    // equals and hashCode are written out: a record's generated ones link through an
    // invokedynamic bootstrap (ObjectMethods) whose method handles the AOT cache does not keep, and
    // spinning them costs a cold `measure snp` about 15 ms on the first footer-table lookup.
    @Override
    public boolean equals(Object o) {
        return o instanceof EfiGuid other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
