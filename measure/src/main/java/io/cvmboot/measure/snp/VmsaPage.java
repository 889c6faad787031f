package io.cvmboot.measure.snp;

/**
 * The initial VMSA (VM save area) page of a vCPU as KVM hands it to SNP_LAUNCH_UPDATE: 4096
 * bytes, zero except the registers set here. Offsets follow the SEV-ES save area layout (AMD64
 * APM Vol 2, Appendix B, Table B-4 "VMSA Layout, State Save Area for SEV-ES"); register values
 * are what QEMU/KVM, EC2 and GCE load at reset (as modelled by sev-snp-measure v0.0.13).
 */
public final class VmsaPage {
    public static final int LENGTH = 4096;
    /** Reset vector of the BSP (AMD64 APM Vol 2, 14.1.5 "Fetching the First Instruction"). */
    public static final long BSP_EIP = 0xFFFF_FFF0L;

    // Segment registers, 16 bytes each: u16 selector, u16 attrib, u32 limit, u64 base (Table B-4).
    static final int ES = 0x000, CS = 0x010, SS = 0x020, DS = 0x030, FS = 0x040, GS = 0x050;
    static final int GDTR = 0x060, LDTR = 0x070, IDTR = 0x080, TR = 0x090;
    static final int EFER = 0x0D0, CR4 = 0x148, CR0 = 0x158, DR7 = 0x160, DR6 = 0x168;
    static final int RFLAGS = 0x170, RIP = 0x178, G_PAT = 0x268, RDX = 0x310;
    static final int SEV_FEATURES = 0x3B0, XCR0 = 0x3E8, MXCSR = 0x408, X87_FCW = 0x410;

    // Values KVM sets at vCPU reset (Linux arch/x86/kvm/svm/svm.c init_vmcb, kvm_vcpu_reset).
    static final long EFER_SVME = 0x1000;
    static final long CR4_MCE = 0x40;
    static final long CR0_ET = 0x10;
    static final long CR0_PE_ET = 0x11;
    static final long DR7_RESET = 0x400;
    static final long DR6_RESET = 0xFFFF_0FF0L;
    static final long RFLAGS_RESET = 0x2;
    /** PAT MSR power-on value (AMD64 APM Vol 2, A.3 "System Registers"). */
    static final long PAT_RESET = 0x0007_0406_0007_0406L;
    /** GCE's hypervisor loads a different PAT. */
    static final long PAT_GCE = 0x0000_0000_0007_0106L;
    /** EC2 and GCE report a fixed family 6 signature in RDX. */
    static final long RDX_CLOUD = 0x600;
    static final long XCR0_X87 = 0x1;
    /** FPU reset state that host kernels 6.10 and later put in the VMSA (QEMU only). */
    static final long MXCSR_RESET = 0x1F80;
    static final long FCW_RESET = 0x037F;

    private VmsaPage() {}

    /**
     * The VMSA of a vCPU starting at {@code eip}: {@link #BSP_EIP} for vCPU 0, the firmware's AP
     * reset EIP for the others.
     *
     * @param rdx the vCPU signature for QEMU; ignored for EC2 and GCE, which use 0x600
     * @param sevFeatures SEV_FEATURES (guest features; 0 for SEV-ES)
     */
    public static byte[] forVcpu(VmmType vmm, long eip, long rdx, long sevFeatures) {
        byte[] p = new byte[LENGTH];
        boolean ec2 = vmm == VmmType.EC2;
        // EC2 loads the BSP's code segment without the accessed bit.
        int csAttrib = ec2 && eip == BSP_EIP ? 0x9A : 0x9B;
        int ssAttrib = ec2 ? 0x92 : 0x93;
        int trAttrib = ec2 ? 0x83 : 0x8B;
        segment(p, ES, 0, 0x93, 0xFFFF, 0);
        segment(p, CS, 0xF000, csAttrib, 0xFFFF, eip & 0xFFFF_0000L);
        segment(p, SS, 0, ssAttrib, 0xFFFF, 0);
        segment(p, DS, 0, 0x93, 0xFFFF, 0);
        segment(p, FS, 0, 0x93, 0xFFFF, 0);
        segment(p, GS, 0, 0x93, 0xFFFF, 0);
        segment(p, GDTR, 0, 0, 0xFFFF, 0);
        segment(p, LDTR, 0, 0x82, 0xFFFF, 0);
        segment(p, IDTR, 0, 0, 0xFFFF, 0);
        segment(p, TR, 0, trAttrib, 0xFFFF, 0);
        LittleEndian.put64(p, EFER, EFER_SVME);
        LittleEndian.put64(p, CR4, CR4_MCE);
        LittleEndian.put64(p, CR0, CR0_ET);
        LittleEndian.put64(p, DR7, DR7_RESET);
        LittleEndian.put64(p, DR6, DR6_RESET);
        LittleEndian.put64(p, RFLAGS, RFLAGS_RESET);
        LittleEndian.put64(p, RIP, eip & 0xFFFF);
        LittleEndian.put64(p, G_PAT, vmm == VmmType.GCE ? PAT_GCE : PAT_RESET);
        LittleEndian.put64(p, RDX, vmm == VmmType.QEMU ? rdx : RDX_CLOUD);
        LittleEndian.put64(p, SEV_FEATURES, sevFeatures);
        LittleEndian.put64(p, XCR0, XCR0_X87);
        if (vmm == VmmType.QEMU) {
            LittleEndian.put32(p, MXCSR, MXCSR_RESET);
            LittleEndian.put16(p, X87_FCW, (int) FCW_RESET);
        }
        return p;
    }

    /**
     * The VMSA every vCPU gets in Coconut-SVSM mode (QEMU only): 32-bit protected mode at the
     * SVSM entry point, SEV_FEATURES fixed at SNPActive. x87_fcw stays 0: the reference sets it
     * under a misspelt name, so its known answers (checked against real launches) have 0.
     */
    public static byte[] forSvsm(long rip, long rdx) {
        byte[] p = new byte[LENGTH];
        segment(p, ES, 0x10, 0xC93, 0xFFFF_FFFFL, 0);
        segment(p, CS, 0x08, 0xC9B, 0xFFFF_FFFFL, 0);
        segment(p, SS, 0x10, 0xC93, 0xFFFF_FFFFL, 0);
        segment(p, DS, 0x10, 0xC93, 0xFFFF_FFFFL, 0);
        segment(p, FS, 0x10, 0xC93, 0xFFFF_FFFFL, 0);
        segment(p, GS, 0, 0x93, 0xFFFF, 0);
        segment(p, GDTR, 0, 0, 0xFFFF, 0);
        segment(p, LDTR, 0, 0x82, 0xFFFF, 0);
        segment(p, IDTR, 0, 0, 0xFFFF, 0);
        segment(p, TR, 0, 0x8B, 0xFFFF, 0);
        LittleEndian.put64(p, EFER, EFER_SVME);
        LittleEndian.put64(p, CR4, CR4_MCE);
        LittleEndian.put64(p, CR0, CR0_PE_ET);
        LittleEndian.put64(p, DR7, DR7_RESET);
        LittleEndian.put64(p, DR6, DR6_RESET);
        LittleEndian.put64(p, RFLAGS, RFLAGS_RESET);
        LittleEndian.put64(p, RIP, rip);
        LittleEndian.put64(p, G_PAT, PAT_RESET);
        LittleEndian.put64(p, RDX, rdx);
        LittleEndian.put64(p, SEV_FEATURES, GuestFeatures.SNP_ACTIVE);
        LittleEndian.put64(p, XCR0, XCR0_X87);
        LittleEndian.put32(p, MXCSR, MXCSR_RESET);
        return p;
    }

    private static void segment(byte[] p, int off, int selector, int attrib, long limit, long base) {
        LittleEndian.put16(p, off, selector);
        LittleEndian.put16(p, off + 2, attrib);
        LittleEndian.put32(p, off + 4, limit);
        LittleEndian.put64(p, off + 8, base);
    }
}
