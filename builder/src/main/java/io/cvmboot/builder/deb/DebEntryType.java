package io.cvmboot.builder.deb;

/** The kinds of entry a .deb's data.tar holds. */
public enum DebEntryType {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** A tar hard link: same content as an earlier entry, named by {@link DebEntry#linkTarget()}. */
    HARD_LINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO
}
