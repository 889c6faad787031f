package io.cvmboot.measure.snp;

import io.cvmboot.measure.MeasureException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OVMF SEV metadata ("ASEV") table (edk2 OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm):
 * {@code 'ASEV', u32 size, u32 version = 1, u32 numItems}, then {@code numItems} entries of
 * {@code u32 gpa, u32 size, u32 type}. Its position is given by the footer table entry
 * {@link OvmfFooterTable#OVMF_SEV_METADATA} as a distance back from the end of the image.
 */
public final class SevMetadata {
    static final byte[] SIGNATURE = {'A', 'S', 'E', 'V'};
    static final long VERSION = 1;
    static final int HEADER_LENGTH = 16;
    static final int ITEM_LENGTH = 12;

    private SevMetadata() {}

    /**
     * The sections in table order (the order they are measured in), or an empty list if the
     * footer table has no metadata entry.
     */
    public static List<SevMetadataSection> parse(String source, byte[] image, OvmfFooterTable table)
            throws MeasureException {
        var pointer = table.u32(source, OvmfFooterTable.OVMF_SEV_METADATA);
        if (pointer.isEmpty()) {
            return List.of();
        }
        long start = image.length - pointer.get();
        if (start < 0 || start + HEADER_LENGTH > image.length) {
            throw new MeasureException(source + ": SEV metadata offset 0x" + Long.toHexString(pointer.get())
                    + " from the end points outside the image (" + image.length + " bytes)");
        }
        int s = (int) start;
        if (!java.util.Arrays.equals(image, s, s + 4, SIGNATURE, 0, 4)) {
            throw new MeasureException(source + ": wrong SEV metadata signature at offset 0x" + Integer.toHexString(s)
                    + ": expected 'ASEV', found " + java.util.HexFormat.of().formatHex(image, s, s + 4));
        }
        long version = LittleEndian.u32(image, s + 8);
        if (version != VERSION) {
            throw new MeasureException(source + ": wrong SEV metadata version: expected 1, found " + version);
        }
        long count = LittleEndian.u32(image, s + 12);
        long declared = LittleEndian.u32(image, s + 4);
        if (declared < HEADER_LENGTH + count * ITEM_LENGTH) {
            throw new MeasureException(source + ": SEV metadata size " + declared + " is too small for its " + count
                    + " sections (expected at least " + (HEADER_LENGTH + count * ITEM_LENGTH) + ")");
        }
        if (start + HEADER_LENGTH + count * ITEM_LENGTH > image.length) {
            throw new MeasureException(source + ": SEV metadata claims " + count + " sections, more than fit in the image");
        }
        List<SevMetadataSection> sections = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            final int i = index;
            int item = s + HEADER_LENGTH + i * ITEM_LENGTH;
            long gpa = LittleEndian.u32(image, item);
            long size = LittleEndian.u32(image, item + 4);
            long typeCode = LittleEndian.u32(image, item + 8);
            SectionType type = SectionType.fromCode(typeCode).orElseThrow(() -> new MeasureException(source
                    + ": SEV metadata section " + i + " (gpa 0x" + Long.toHexString(gpa) + ") has unknown type 0x"
                    + Long.toHexString(typeCode) + ", expected one of 0x1 SNP_SEC_MEM, 0x2 SNP_SECRETS, 0x3 CPUID,"
                    + " 0x4 SVSM_CAA, 0x10 SNP_KERNEL_HASHES"));
            sections.add(new SevMetadataSection(gpa, size, type));
        }
        return List.copyOf(sections);
    }
}
