package io.cvmboot.measure.snp;

/**
 * One {@code OvmfSevMetadataSectionDesc}: a guest-physical range the VMM must prepare before launch.
 *
 * @param gpa start address (u32 in the table)
 * @param size length in bytes (u32 in the table)
 */
public record SevMetadataSection(long gpa, long size, SectionType type) {
    public SevMetadataSection {
        if (gpa < 0 || gpa > 0xFFFF_FFFFL || size < 0 || size > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("section gpa and size are u32 values: gpa=0x" + Long.toHexString(gpa)
                    + " size=0x" + Long.toHexString(size));
        }
        java.util.Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return String.format("0x%x/0x%x/%s", gpa, size, type);
    }
}
