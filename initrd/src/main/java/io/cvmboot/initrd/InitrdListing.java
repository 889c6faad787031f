package io.cvmboot.initrd;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The contents of an initrd, segment by segment. */
public record InitrdListing(List<ListedSegment> segments) {
    public InitrdListing {
        segments = List.copyOf(segments);
    }

    /**
     * What the kernel ends up with: entries by name, a later segment's entry replacing an earlier
     * one of the same name (init/initramfs.c unpacks segments in order over each other).
     */
    public Map<String, ListedEntry> effectiveEntries() {
        Map<String, ListedEntry> result = new TreeMap<>(InitrdListing::compareUtf8);
        for (ListedSegment s : segments) {
            for (ListedEntry e : s.entries()) {
                result.put(e.name(), e);
            }
        }
        return result;
    }

    static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
