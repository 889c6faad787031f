package io.cvmboot.measure.snp;

/**
 * The vCPU signature: CPUID Fn0000_0001 EAX (AMD64 APM Vol 3, Appendix E.3.2 "Family, Model,
 * Stepping Identifiers"), which KVM/QEMU put in RDX of the initial VMSA.
 *
 * @param value the 32-bit EAX value
 */
public record VcpuSignature(long value) {
    public VcpuSignature {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a vCPU signature is a 32-bit CPUID value, got 0x" + Long.toHexString(value));
        }
    }

    /**
     * Composes EAX from family, model and stepping: families above 0xF are stored as BaseFamily
     * 0xF plus ExtFamily = family - 0xF; the model's high nibble goes to ExtModel.
     */
    public static VcpuSignature of(int family, int model, int stepping) {
        if (family < 0 || family > 0xF + 0xFF) {
            throw new IllegalArgumentException("vCPU family must be 0.." + (0xF + 0xFF) + ", got " + family);
        }
        if (model < 0 || model > 0xFF) {
            throw new IllegalArgumentException("vCPU model must be 0..255, got " + model);
        }
        if (stepping < 0 || stepping > 0xF) {
            throw new IllegalArgumentException("vCPU stepping must be 0..15, got " + stepping);
        }
        int baseFamily = family > 0xF ? 0xF : family;
        int extFamily = family > 0xF ? family - 0xF : 0;
        long eax = (long) extFamily << 20 | (long) (model >> 4) << 16 | baseFamily << 8 | (model & 0xF) << 4 | stepping;
        return new VcpuSignature(eax);
    }

    @Override
    public String toString() {
        return String.format("0x%08x", value);
    }
}
