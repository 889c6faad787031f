package io.cvmboot.initrd;

/**
 * The file types a newc archive can hold, with their {@code S_IFMT} bits as the kernel defines them
 * (include/uapi/linux/stat.h); the newc mode field carries type and permission bits together.
 */
public enum EntryType {
    FIFO(0010000, 'p'),
    CHAR_DEVICE(0020000, 'c'),
    DIRECTORY(0040000, 'd'),
    BLOCK_DEVICE(0060000, 'b'),
    REGULAR(0100000, '-'),
    SYMLINK(0120000, 'l'),
    SOCKET(0140000, 's');

    /** Mask of the type bits in a mode (S_IFMT). */
    public static final int TYPE_MASK = 0170000;

    private final int typeBits;
    private final char lsChar;

    EntryType(int typeBits, char lsChar) {
        this.typeBits = typeBits;
        this.lsChar = lsChar;
    }

    public int typeBits() {
        return typeBits;
    }

    /** The first character of an {@code ls -l} mode string. */
    public char lsChar() {
        return lsChar;
    }

    public boolean isDevice() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE;
    }

    /** The type encoded in a full mode, or null when the bits name no known type. */
    public static EntryType ofMode(long mode) {
        long bits = mode & TYPE_MASK;
        for (EntryType t : values()) {
            if (t.typeBits == bits) {
                return t;
            }
        }
        return null;
    }
}
