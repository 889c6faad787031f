package io.cvmboot.stage1.tpm;

import java.io.ByteArrayOutputStream;

/** Big-endian marshalling of TPM 2.0 types (TPM 2.0 Library Part 1, 18 "Data marshalling"). */
final class TpmWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TpmWriter u8(int v) {
        out.write(v);
        return this;
    }

    TpmWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    TpmWriter u32(int v) {
        u16(v >>> 16);
        return u16(v);
    }

    TpmWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** A TPM2B: u16 size, then the bytes. */
    TpmWriter tpm2b(byte[] b) {
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("TPM2B larger than 65535 bytes");
        }
        return u16(b.length).bytes(b);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
