package io.cvmboot.stage1.tpm;

import java.io.IOException;
import java.util.Arrays;

/** Big-endian unmarshalling with bounds checks: a short or malformed TPM answer is an error, never garbage. */
public final class TpmReader {
    private final byte[] data;
    private final String what;
    private int pos;
    private final int end;

    public TpmReader(byte[] data, String what) {
        this(data, 0, data.length, what);
    }

    TpmReader(byte[] data, int from, int end, String what) {
        this.data = data;
        this.pos = from;
        this.end = end;
        this.what = what;
    }

    private void need(int n) throws IOException {
        if (n < 0 || end - pos < n) {
            throw new IOException(what + ": expected " + n + " more bytes at offset " + pos + ", only " + (end - pos) + " left");
        }
    }

    public int u8() throws IOException {
        need(1);
        return data[pos++] & 0xFF;
    }

    public int u16() throws IOException {
        need(2);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public int u32() throws IOException {
        return (u16() << 16) | u16();
    }

    public long u64() throws IOException {
        return ((long) u32() << 32) | (u32() & 0xFFFFFFFFL);
    }

    public byte[] bytes(int n) throws IOException {
        need(n);
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    public byte[] tpm2b() throws IOException {
        return bytes(u16());
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    /** A reader over the next {@code n} bytes; this reader skips them. */
    public TpmReader slice(int n, String sliceWhat) throws IOException {
        need(n);
        TpmReader r = new TpmReader(data, pos, pos + n, sliceWhat);
        pos += n;
        return r;
    }

    public void requireEnd() throws IOException {
        if (pos != end) {
            throw new IOException(what + ": " + (end - pos) + " unexpected trailing bytes");
        }
    }
}
