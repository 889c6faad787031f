package io.cvmboot.initrd;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A normalised path inside the initrd: relative, '/'-separated, no empty, "." or ".." components,
 * the root written ".". Ordered by the unsigned UTF-8 bytes of the whole path, which is the order
 * of {@code LC_ALL=C sort} and puts every parent before its children.
 */
public final class EntryPath implements Comparable<EntryPath> {
    /** The root directory, stored as "." the way GNU cpio stores the root of {@code find .}. */
    public static final EntryPath ROOT = new EntryPath(".");

    /**
     * Longest name the kernel unpacks: init/initramfs.c skips an entry whose namesize (name plus
     * NUL) exceeds PATH_MAX (include/uapi/linux/limits.h: 4096).
     */
    public static final int MAX_NAME_BYTES = 4096 - 1;

    private final String value;
    private final byte[] utf8;

    private EntryPath(String value) {
        this.value = value;
        this.utf8 = value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Normalises a path as written by a user or a spec: a leading "/" or "./" is dropped, repeated
     * slashes and "." components collapse. Rejects ".." (it would escape the root), NUL bytes,
     * unpaired surrogates and names longer than {@link #MAX_NAME_BYTES}.
     *
     * @param input names the input the path came from, for the error message
     */
    public static EntryPath of(String raw, String input) throws ArtefactInputException {
        if (raw == null || raw.isEmpty()) {
            throw new ArtefactInputException(input + ": expected a path, found an empty one");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new ArtefactInputException(input + ": path '" + printable(raw) + "' contains a NUL byte");
        }
        var kept = new StringBuilder(raw.length());
        for (String part : raw.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new ArtefactInputException(input + ": path '" + printable(raw)
                        + "' escapes the initrd root: '..' components are not allowed");
            }
            if (!kept.isEmpty()) {
                kept.append('/');
            }
            kept.append(part);
        }
        if (kept.isEmpty()) {
            return ROOT;
        }
        String value = kept.toString();
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            throw new ArtefactInputException(input + ": path '" + printable(raw) + "' is not valid Unicode");
        }
        EntryPath path = new EntryPath(value);
        if (path.utf8.length > MAX_NAME_BYTES) {
            throw new ArtefactInputException(input + ": path of " + path.utf8.length
                    + " UTF-8 bytes is too long: the kernel skips names over " + MAX_NAME_BYTES
                    + " bytes (PATH_MAX 4096 with the NUL); path starts '" + printable(value.substring(0, 60)) + "...'");
        }
        return path;
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    public boolean isRoot() {
        return this == ROOT || value.equals(".");
    }

    /** The parent directory, or null for the root; a top-level name's parent is the root. */
    public EntryPath parent() {
        if (isRoot()) {
            return null;
        }
        int slash = value.lastIndexOf('/');
        return slash < 0 ? ROOT : new EntryPath(value.substring(0, slash));
    }

    /** This path with {@code child} (already normalised and not the root) appended. */
    public EntryPath resolve(EntryPath child) {
        if (child.isRoot()) {
            return this;
        }
        return isRoot() ? child : new EntryPath(value + "/" + child.value);
    }

    /** The name as stored in the archive. */
    public String value() {
        return value;
    }

    /** The stored name's UTF-8 bytes (a copy). */
    public byte[] utf8() {
        return utf8.clone();
    }

    int utf8Length() {
        return utf8.length;
    }

    byte[] utf8Unsafe() {
        return utf8;
    }

    @Override
    public int compareTo(EntryPath o) {
        return Arrays.compareUnsigned(utf8, o.utf8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntryPath p && p.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
