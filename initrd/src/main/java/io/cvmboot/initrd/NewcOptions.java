package io.cvmboot.initrd;

/**
 * How entries become newc headers.
 *
 * @param sourceDateEpoch mtime of every entry (SOURCE_DATE_EPOCH, reproducible-builds.org spec)
 * @param gnuCompatible write what {@code find . | LC_ALL=C sort | cpio -o -H newc --reproducible}
 *     writes for the same (normalised) tree: root entry "." always present, inodes numbered from 0
 *     in output order. Otherwise inodes start at 1 (0 reads as "no inode" to some tools) and the
 *     root entry is written only when given.
 */
public record NewcOptions(long sourceDateEpoch, boolean gnuCompatible) {
    public static final NewcOptions DEFAULT = new NewcOptions(0, false);

    public NewcOptions {
        if (sourceDateEpoch < 0 || sourceDateEpoch > InitrdEntry.MAX_FIELD) {
            throw new IllegalArgumentException("SOURCE_DATE_EPOCH " + sourceDateEpoch
                    + " does not fit the 32-bit newc mtime field (0.." + InitrdEntry.MAX_FIELD + ")");
        }
    }
}
