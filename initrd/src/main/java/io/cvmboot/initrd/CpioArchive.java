package io.cvmboot.initrd;

import java.util.List;

/**
 * A complete, validated set of entries for one newc archive, sorted by the unsigned UTF-8 bytes of
 * their paths with every parent directory present before its children. Made by
 * {@link InitrdBuilder#build()}; written by {@link NewcWriter}.
 */
public record CpioArchive(List<InitrdEntry> entries) {
    public CpioArchive {
        entries = List.copyOf(entries);
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i - 1).path().compareTo(entries.get(i).path()) >= 0) {
                throw new IllegalArgumentException("entries not strictly sorted at " + entries.get(i).path());
            }
        }
    }

    public boolean hasHardLinks() {
        return entries.stream().anyMatch(InitrdEntry::isHardLink);
    }
}
