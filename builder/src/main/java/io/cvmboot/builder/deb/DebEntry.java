package io.cvmboot.builder.deb;

/**
 * One entry of a package's data archive. Owners and modification times are deliberately not kept:
 * whatever is built from a package sets its own (reproducibility).
 *
 * @param path normalised path without leading "./" or "/", without trailing "/", e.g. "usr/bin/busybox"
 * @param type entry kind
 * @param permissions permission bits including setuid/setgid/sticky (07777)
 * @param size file size for {@link DebEntryType#FILE}, 0 otherwise
 * @param linkTarget symlink target exactly as stored, or the normalised path a hard link points at;
 *     null for other types
 * @param deviceMajor for device nodes, else 0
 * @param deviceMinor for device nodes, else 0
 */
public record DebEntry(String path, DebEntryType type, int permissions, long size, String linkTarget,
        int deviceMajor, int deviceMinor) {

    public DebEntry {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("entry path must be normalised and non-empty, got '" + path + "'");
        }
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("permissions of " + path + " out of range: " + Integer.toOctalString(permissions));
        }
        boolean isLink = type == DebEntryType.SYMLINK || type == DebEntryType.HARD_LINK;
        if (isLink != (linkTarget != null)) {
            throw new IllegalArgumentException(path + ": a link target belongs to links only");
        }
        if (size < 0 || (size != 0 && type != DebEntryType.FILE)) {
            throw new IllegalArgumentException(path + ": only regular files have a size, got " + size);
        }
    }

    public boolean isFile() {
        return type == DebEntryType.FILE;
    }
}
