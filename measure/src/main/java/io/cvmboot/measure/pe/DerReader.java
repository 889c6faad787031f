package io.cvmboot.measure.pe;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough DER (ITU-T X.690, 8.1: identifier, definite length, contents) to walk to the digest
 * inside an Authenticode SignedData. Single-byte tags only, which is all CMS uses.
 */
final class DerReader {
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int OID = 0x06;
    static final int OCTET_STRING = 0x04;
    static final int CONTEXT_0 = 0xA0;

    /** One element: its tag and the bounds of its contents in the underlying array. */
    record Element(int tag, int contentStart, int end) {}

    private DerReader() {}

    /** The element starting at {@code at}, which must end by {@code limit}. */
    static Element read(byte[] der, int at, int limit) {
        if (at + 2 > limit) {
            throw new IllegalArgumentException("DER element at " + at + " truncated");
        }
        int tag = der[at] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IllegalArgumentException("multi-byte DER tag at " + at);
        }
        int first = der[at + 1] & 0xFF;
        int pos = at + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7F;
            if (n == 0 || n > 4 || pos + n > limit) {
                throw new IllegalArgumentException("unsupported DER length form at " + at);
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[pos++] & 0xFF);
            }
        }
        if (pos + length > limit) {
            throw new IllegalArgumentException("DER element at " + at + " of length " + length + " runs past " + limit);
        }
        return new Element(tag, pos, (int) (pos + length));
    }

    /** The elements directly inside {@code parent}. */
    static List<Element> children(byte[] der, Element parent) {
        List<Element> out = new ArrayList<>();
        int at = parent.contentStart();
        while (at < parent.end()) {
            Element e = read(der, at, parent.end());
            out.add(e);
            at = e.end();
        }
        return out;
    }

    /** The child at {@code index}, which must have {@code tag}. */
    static Element child(byte[] der, Element parent, int index, int tag) {
        List<Element> c = children(der, parent);
        if (index >= c.size() || c.get(index).tag() != tag) {
            throw new IllegalArgumentException(String.format("expected tag 0x%02x as element %d", tag, index));
        }
        return c.get(index);
    }

    /** Dotted-decimal form of an OBJECT IDENTIFIER's contents (X.690, 8.19). */
    static String oid(byte[] der, Element e) {
        if (e.tag() != OID || e.end() == e.contentStart()) {
            throw new IllegalArgumentException("not an OBJECT IDENTIFIER");
        }
        StringBuilder sb = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = e.contentStart(); i < e.end(); i++) {
            value = (value << 7) | (der[i] & 0x7F);
            if ((der[i] & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    sb.append(top).append('.').append(value - top * 40);
                    first = false;
                } else {
                    sb.append('.').append(value);
                }
                value = 0;
            }
        }
        return sb.toString();
    }
}
