package io.cvmboot.measure.tpm;

import io.cvmboot.measure.MeasureException;
import java.util.Arrays;

/**
 * A bounds-checked little-endian cursor over an untrusted buffer. Every read that would pass the
 * end throws a {@link MeasureException} naming the input, the field and the offset.
 */
final class LogReader {
    private final String inputName;
    private final byte[] data;
    private int position;

    LogReader(String inputName, byte[] data, int position) {
        this.inputName = inputName;
        this.data = data;
        this.position = position;
    }

    int position() {
        return position;
    }

    int remaining() {
        return data.length - position;
    }

    boolean atEnd() {
        return position >= data.length;
    }

    int u8(String field) throws MeasureException {
        require(1, field);
        return data[position++] & 0xFF;
    }

    int u16(String field) throws MeasureException {
        require(2, field);
        int v = (data[position] & 0xFF) | (data[position + 1] & 0xFF) << 8;
        position += 2;
        return v;
    }

    long u32(String field) throws MeasureException {
        require(4, field);
        long v = (data[position] & 0xFFL) | (data[position + 1] & 0xFFL) << 8
                | (data[position + 2] & 0xFFL) << 16 | (data[position + 3] & 0xFFL) << 24;
        position += 4;
        return v;
    }

    long u64(String field) throws MeasureException {
        long low = u32(field);
        long high = u32(field);
        if (high < 0 || (high & 0x8000_0000L) != 0) {
            throw new MeasureException(inputName + ": " + field + " at offset " + (position - 8)
                    + " is larger than 2^63");
        }
        return low | high << 32;
    }

    byte[] bytes(long length, String field) throws MeasureException {
        if (length < 0 || length > remaining()) {
            throw new MeasureException(inputName + ": " + field + " of " + length + " bytes at offset " + position
                    + " runs past the end of the input (" + remaining() + " bytes left of " + data.length + ")");
        }
        byte[] out = Arrays.copyOfRange(data, position, position + (int) length);
        position += (int) length;
        return out;
    }

    private void require(int n, String field) throws MeasureException {
        if (remaining() < n) {
            throw new MeasureException(inputName + ": truncated: " + field + " (" + n + " bytes) at offset " + position
                    + " runs past the end of the input (" + data.length + " bytes)");
        }
    }
}
