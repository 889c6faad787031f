package io.cvmboot.measure.tpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal PE32+ image with chosen sections, for exercising section lookup rules without a real
 * UKI. Layout per Microsoft PE Format: DOS header with e_lfanew 0x40, "PE\0\0", COFF header,
 * a 240-byte optional header with 16 data directories, the section table, raw data 512-aligned.
 */
final class TestPe {
    record Section(String name, byte[] raw, long virtualSize) {}

    private final List<Section> sections = new ArrayList<>();

    TestPe section(String name, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return section(name, b, b.length);
    }

    TestPe section(String name, byte[] raw, long virtualSize) {
        sections.add(new Section(name, raw, virtualSize));
        return this;
    }

    byte[] build() {
        int optionalSize = 240;
        int headers = 0x40 + 4 + 20 + optionalSize + 40 * sections.size();
        int sizeOfHeaders = align(headers, 512);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(sizeOfHeaders).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort(0, (short) 0x5A4D);
        h.putInt(0x3C, 0x40);
        h.putInt(0x40, 0x4550);
        int coff = 0x44;
        h.putShort(coff, (short) 0x8664);
        h.putShort(coff + 2, (short) sections.size());
        h.putShort(coff + 16, (short) optionalSize);
        int opt = coff + 20;
        h.putShort(opt, (short) 0x20B);
        h.putLong(opt + 24, 0x1_4000_0000L);
        h.putInt(opt + 32, 0x1000);
        h.putInt(opt + 36, 0x200);
        h.putShort(opt + 44, (short) 1); // MajorImageVersion
        h.putInt(opt + 60, sizeOfHeaders);
        h.putShort(opt + 68, (short) 10); // EFI application
        h.putInt(opt + 108, 16);
        int table = opt + optionalSize;
        int rva = 0x1000;
        int offset = sizeOfHeaders;
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            int at = table + 40 * i;
            byte[] name = s.name().getBytes(StandardCharsets.US_ASCII);
            h.put(at, name, 0, Math.min(8, name.length));
            int raw = align(s.raw().length, 512);
            h.putInt(at + 8, (int) s.virtualSize());
            h.putInt(at + 12, rva);
            h.putInt(at + 16, raw);
            h.putInt(at + 20, offset);
            h.putInt(at + 36, 0x4000_0040);
            byte[] padded = java.util.Arrays.copyOf(s.raw(), raw);
            data.writeBytes(padded);
            rva += align((int) Math.max(s.virtualSize(), 1), 0x1000);
            offset += raw;
        }
        h.putInt(opt + 56, rva); // SizeOfImage
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    private static int align(int v, int a) {
        return (v + a - 1) / a * a;
    }
}
