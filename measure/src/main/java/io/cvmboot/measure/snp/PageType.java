package io.cvmboot.measure.snp;

/** PAGE_TYPE encodings of SNP_LAUNCH_UPDATE (SEV-SNP Firmware ABI rev 1.51, 8.17.2). */
public enum PageType {
    NORMAL(0x01),
    VMSA(0x02),
    ZERO(0x03),
    UNMEASURED(0x04),
    SECRETS(0x05),
    CPUID(0x06);

    private final int code;

    PageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
