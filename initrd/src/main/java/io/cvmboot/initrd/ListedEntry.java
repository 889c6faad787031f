package io.cvmboot.initrd;

import io.cvmboot.measure.Digest;

/**
 * An entry as read back from an archive, with the header fields that matter to the kernel.
 *
 * @param sha256 SHA-256 of the data of a regular file, null for other types
 * @param linkTarget the target of a symlink, null for other types
 */
public record ListedEntry(
        String name,
        long inode,
        long mode,
        long uid,
        long gid,
        long nlink,
        long mtime,
        long size,
        long rdevMajor,
        long rdevMinor,
        Digest sha256,
        String linkTarget) {

    public EntryType type() {
        return EntryType.ofMode(mode);
    }

    /** The mode as {@code ls -l} shows it, e.g. {@code drwxr-xr-x} or {@code -rwsr-xr-x}. */
    public String modeString() {
        EntryType t = type();
        var sb = new StringBuilder(10);
        sb.append(t == null ? '?' : t.lsChar());
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        special(sb, 3, 04000, 's');
        special(sb, 6, 02000, 's');
        special(sb, 9, 01000, 't');
        return sb.toString();
    }

    private void special(StringBuilder sb, int index, int bit, char set) {
        if ((mode & bit) != 0) {
            char exec = sb.charAt(index);
            sb.setCharAt(index, exec == '-' ? Character.toUpperCase(set) : set);
        }
    }
}
