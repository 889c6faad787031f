package io.cvmboot.measure.snp;

import java.util.Optional;

/**
 * Section types of the OVMF SEV metadata (edk2 OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm,
 * {@code OVMF_SECTION_TYPE_*}; QEMU target/i386/sev.c {@code SEV_DESC_TYPE_*}).
 */
public enum SectionType {
    SNP_SEC_MEM(0x1),
    SNP_SECRETS(0x2),
    CPUID(0x3),
    SVSM_CAA(0x4),
    SNP_KERNEL_HASHES(0x10);

    private final int code;

    SectionType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<SectionType> fromCode(long code) {
        for (SectionType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
