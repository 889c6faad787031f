package io.cvmboot.measure.report;

import io.cvmboot.measure.MeasureException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few DER reads the AMD certificate extensions need (ITU-T X.690, 8.1 and 10.1): one
 * tag-length-value at a time, definite lengths only. Extension values are small, so anything
 * malformed is reported, never guessed.
 */
final class DerReader {
    static final int TAG_INTEGER = 0x02;
    static final int TAG_OCTET_STRING = 0x04;
    static final int TAG_IA5_STRING = 0x16;

    private DerReader() {}

    /** One decoded element: its tag and its content bytes. */
    record Element(int tag, byte[] content) {}

    /**
     * Decodes {@code der} as exactly one element (no trailing bytes).
     *
     * @param what how error messages name the input
     */
    static Element single(String what, byte[] der) throws MeasureException {
        if (der.length < 2) {
            throw new MeasureException(what + ": expected a DER element, found " + der.length + " bytes");
        }
        int tag = der[0] & 0xFF;
        int first = der[1] & 0xFF;
        int pos = 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7F;
            // X.690 10.1: DER uses the definite form with the fewest length octets; 0x80 (indefinite) is BER only.
            if (count == 0 || count > 4 || pos + count > der.length) {
                throw new MeasureException(what + ": unsupported DER length encoding 0x" + Integer.toHexString(first));
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (der[pos++] & 0xFF);
            }
        }
        if (pos + length != der.length) {
            throw new MeasureException(what + ": DER length " + length + " does not match the " + (der.length - pos)
                    + " content bytes present");
        }
        return new Element(tag, Arrays.copyOfRange(der, pos, der.length));
    }

    /** Decodes a DER INTEGER that must fit a non-negative int (the AMD SPL values are 0..255). */
    static int nonNegativeInteger(String what, byte[] der) throws MeasureException {
        Element e = single(what, der);
        if (e.tag() != TAG_INTEGER || e.content().length == 0) {
            throw new MeasureException(what + ": expected a DER INTEGER, found tag 0x" + Integer.toHexString(e.tag()));
        }
        BigInteger value = new BigInteger(e.content());
        if (value.signum() < 0 || value.bitLength() > 31) {
            throw new MeasureException(what + ": expected a non-negative INTEGER below 2^31, found " + value);
        }
        return value.intValueExact();
    }

    /** Decodes a DER IA5String (ASCII). */
    static String ia5String(String what, byte[] der) throws MeasureException {
        Element e = single(what, der);
        if (e.tag() != TAG_IA5_STRING) {
            throw new MeasureException(what + ": expected a DER IA5String, found tag 0x" + Integer.toHexString(e.tag()));
        }
        for (byte b : e.content()) {
            if (b < 0) {
                throw new MeasureException(what + ": IA5String holds a non-ASCII byte");
            }
        }
        return new String(e.content(), StandardCharsets.US_ASCII);
    }
}
