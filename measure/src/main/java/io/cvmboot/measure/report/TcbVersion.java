package io.cvmboot.measure.report;

import java.util.HexFormat;

/**
 * A decoded TCB_VERSION: the security patch levels (SPLs) of the firmware components. AMD
 * SEV-SNP ABI 56860, TCB_VERSION: on Milan and Genoa byte 0 is BOOT_LOADER, 1 TEE, 6 SNP, 7
 * MICROCODE; on Turin byte 0 is FMC, 1 BOOT_LOADER, 2 TEE, 3 SNP, 7 MICROCODE. The FMC level is
 * 0 on products without one.
 */
public record TcbVersion(int fmc, int bootLoader, int tee, int snp, int microcode) {
    public TcbVersion {
        for (int v : new int[] {fmc, bootLoader, tee, snp, microcode}) {
            if (v < 0 || v > 0xFF) {
                throw new IllegalArgumentException("TCB component must be 0..255, got " + v);
            }
        }
    }

    /** Decodes the 8 little-endian bytes {@code raw} (as read from the report) with {@code product}'s layout. */
    public static TcbVersion decode(long raw, SnpProduct product) {
        if (product.hasFmcTcbLayout()) {
            return new TcbVersion(component(raw, 0), component(raw, 1), component(raw, 2), component(raw, 3),
                    component(raw, 7));
        }
        return new TcbVersion(0, component(raw, 0), component(raw, 1), component(raw, 6), component(raw, 7));
    }

    /** Encodes back to the 8-byte raw value with {@code product}'s layout (the KDS URL needs the components). */
    public long encode(SnpProduct product) {
        if (product.hasFmcTcbLayout()) {
            return (long) fmc | (long) bootLoader << 8 | (long) tee << 16 | (long) snp << 24 | (long) microcode << 56;
        }
        return (long) bootLoader | (long) tee << 8 | (long) snp << 48 | (long) microcode << 56;
    }

    /** Whether every component is at least the corresponding component of {@code minimum}. */
    public boolean atLeast(TcbVersion minimum) {
        return fmc >= minimum.fmc && bootLoader >= minimum.bootLoader && tee >= minimum.tee && snp >= minimum.snp
                && microcode >= minimum.microcode;
    }

    /** The raw value as the 16 hex digits of its 8 bytes in report order. */
    public static String rawHex(long raw) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (raw >>> (8 * i));
        }
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return "fmc=" + fmc + ",bl=" + bootLoader + ",tee=" + tee + ",snp=" + snp + ",ucode=" + microcode;
    }

    private static int component(long raw, int byteIndex) {
        return (int) (raw >>> (8 * byteIndex)) & 0xFF;
    }
}
