package io.cvmboot.measure.pe;

/**
 * One optional-header data directory entry. For most entries {@code virtualAddress} is an RVA; for
 * the certificate table (index {@link #CERTIFICATE_TABLE}) it is a file offset (Microsoft PE
 * Format, "The Attribute Certificate Table (Image Only)").
 */
public record DataDirectory(long virtualAddress, long size) {
    /** Microsoft PE Format, "Optional Header Data Directories": index 4 is the Certificate Table. */
    public static final int CERTIFICATE_TABLE = 4;
    /** Size of one entry: u32 VirtualAddress, u32 Size. */
    public static final int ENTRY_SIZE = 8;

    public DataDirectory {
        if (virtualAddress < 0 || virtualAddress > 0xFFFF_FFFFL || size < 0 || size > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("data directory fields are u32, got " + virtualAddress + ", " + size);
        }
    }

    public boolean isPresent() {
        return size != 0;
    }
}
