package io.cvmboot.initrd;

import java.util.List;

/**
 * One segment of an initrd as read back: where it starts in the file, how many bytes it occupies
 * there, its compression and the entries of the archive(s) inside.
 */
public record ListedSegment(long offset, long length, Compression compression, List<ListedEntry> entries) {
    public ListedSegment {
        entries = List.copyOf(entries);
    }
}
