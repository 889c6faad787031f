package io.cvmboot.measure.pe;

/**
 * One section table entry (Microsoft PE Format, "Section Table (Section Headers)", 40 bytes).
 *
 * @param index position in the section table, from 0
 * @param name the 8-byte name up to its first NUL, decoded as ISO-8859-1 (lossless for any byte)
 * @param headerOffset file offset of this 40-byte entry
 */
public record PeSection(
        int index,
        String name,
        long virtualSize,
        long virtualAddress,
        long sizeOfRawData,
        long pointerToRawData,
        long characteristics,
        int headerOffset) {
    /** Size of a section table entry. */
    public static final int HEADER_SIZE = 40;
    /** Length of the name field. */
    public static final int NAME_LENGTH = 8;

    // Section flags (Microsoft PE Format, "Section Flags").
    public static final long IMAGE_SCN_CNT_CODE = 0x0000_0020L;
    public static final long IMAGE_SCN_CNT_INITIALIZED_DATA = 0x0000_0040L;
    public static final long IMAGE_SCN_MEM_EXECUTE = 0x2000_0000L;
    public static final long IMAGE_SCN_MEM_READ = 0x4000_0000L;
    public static final long IMAGE_SCN_MEM_WRITE = 0x8000_0000L;

    // Field offsets inside a section table entry.
    public static final int OFFSET_VIRTUAL_SIZE = 8;
    public static final int OFFSET_VIRTUAL_ADDRESS = 12;
    public static final int OFFSET_SIZE_OF_RAW_DATA = 16;
    public static final int OFFSET_POINTER_TO_RAW_DATA = 20;
    public static final int OFFSET_CHARACTERISTICS = 36;

    public PeSection {
        if (name.length() > NAME_LENGTH) {
            throw new IllegalArgumentException("section name longer than 8 bytes: " + name);
        }
    }

    /** File offset just past the raw data. */
    public long endOfRawData() {
        return pointerToRawData + sizeOfRawData;
    }

    /** RVA just past the loaded section. */
    public long endOfVirtual() {
        return virtualAddress + virtualSize;
    }
}
