package io.cvmboot.measure.quote;

import io.cvmboot.measure.MeasureException;
import java.util.Arrays;

/**
 * Reads TPM 2.0 marshalled structures: big-endian integers and TPM2B size-prefixed byte arrays
 * (TPM 2.0 Library Part 2, 10.4 "Sized Buffers"). Every read is bounds-checked so a short
 * structure is reported with its name instead of running off the end.
 */
final class TpmReader {
    private final String inputName;
    private final byte[] data;
    private int pos;

    TpmReader(String inputName, byte[] data) {
        this.inputName = inputName;
        this.data = data;
    }

    int u8(String field) throws MeasureException {
        need(field, 1);
        return data[pos++] & 0xFF;
    }

    int u16(String field) throws MeasureException {
        need(field, 2);
        int v = (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32(String field) throws MeasureException {
        need(field, 4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (data[pos + i] & 0xFF);
        }
        pos += 4;
        return v;
    }

    long u64(String field) throws MeasureException {
        need(field, 8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (data[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    byte[] bytes(String field, int length) throws MeasureException {
        need(field, length);
        byte[] out = Arrays.copyOfRange(data, pos, pos + length);
        pos += length;
        return out;
    }

    /** A TPM2B: a u16 size followed by that many bytes. */
    byte[] tpm2b(String field) throws MeasureException {
        return bytes(field, u16(field + " size"));
    }

    /** Fails unless every byte was consumed: trailing bytes would be unsigned-for data smuggled along. */
    void end(String structure) throws MeasureException {
        if (pos != data.length) {
            throw new MeasureException(inputName + ": " + structure + " ends at byte " + pos + " but the input has "
                    + data.length + " bytes");
        }
    }

    private void need(String field, int n) throws MeasureException {
        if (n < 0 || pos + n > data.length) {
            throw new MeasureException(inputName + ": expected " + n + " more bytes for " + field + " at offset " + pos
                    + ", found " + (data.length - pos));
        }
    }
}
