package io.cvmboot.measure.pe;

/**
 * The two optional-header layouts. Microsoft PE Format, "Optional Header Standard Fields": the
 * magic is 0x10B for PE32 and 0x20B for PE32+. The layouts differ in field widths, so CheckSum sits
 * at the same offset (64) but the data directories start at 96 (PE32) or 112 (PE32+).
 */
public enum PeFormat {
    PE32(0x10B, 96),
    PE32_PLUS(0x20B, 112);

    private final int magic;
    private final int dataDirectoriesOffset;

    PeFormat(int magic, int dataDirectoriesOffset) {
        this.magic = magic;
        this.dataDirectoriesOffset = dataDirectoriesOffset;
    }

    public int magic() {
        return magic;
    }

    /** Offset of the first data directory from the start of the optional header. */
    public int dataDirectoriesOffset() {
        return dataDirectoriesOffset;
    }

    /** Offset of NumberOfRvaAndSizes from the start of the optional header (the u32 before the directories). */
    public int numberOfRvaAndSizesOffset() {
        return dataDirectoriesOffset - 4;
    }

    static PeFormat fromMagic(int magic) {
        for (PeFormat f : values()) {
            if (f.magic == magic) {
                return f;
            }
        }
        return null;
    }
}
