package io.cvmboot.measure.snp;

import java.math.BigInteger;
import java.util.Locale;

/** Integer literals with automatic base, as Python's {@code int(text, 0)} reads them. */
public final class IntLiterals {
    private IntLiterals() {}

    /** Parses {@code 0x..}, {@code 0o..}, {@code 0b..} or decimal, with an optional sign and underscores. */
    public static BigInteger parse(String text) {
        String t = text.strip().replace("_", "").toLowerCase(Locale.ROOT);
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        int radix = 10;
        if (t.startsWith("0x")) {
            radix = 16;
        } else if (t.startsWith("0o")) {
            radix = 8;
        } else if (t.startsWith("0b")) {
            radix = 2;
        } else if (t.length() > 1 && t.startsWith("0") && !t.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("ambiguous integer literal '" + text + "' (use 0o for octal)");
        }
        if (radix != 10) {
            t = t.substring(2);
        }
        if (t.isEmpty() || t.contains("-") || t.contains("+")) {
            throw new IllegalArgumentException("not an integer: '" + text + "'");
        }
        try {
            BigInteger v = new BigInteger(t, radix);
            return negative ? v.negate() : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: '" + text + "'", e);
        }
    }
}
